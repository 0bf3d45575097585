using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Application.Abstractions;

public interface IUserRepository
{
    /// <summary>Finds a user by username or email, case-insensitively.</summary>
    Task<User?> FindByLoginAsync(string login, CancellationToken cancellationToken);

    Task<User?> FindByUsernameAsync(string username, CancellationToken cancellationToken);

    Task<User?> FindByIdAsync(int id, CancellationToken cancellationToken);

    void Add(User user);
}
