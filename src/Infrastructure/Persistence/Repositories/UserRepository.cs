using Microsoft.EntityFrameworkCore;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Infrastructure.Persistence.Repositories;

internal sealed class UserRepository(AuthDbContext db) : IUserRepository
{
    public Task<User?> FindByLoginAsync(string login, CancellationToken cancellationToken)
    {
        var key = User.Normalize(login);
        return db.Users.FirstOrDefaultAsync(u => u.NormalizedUsername == key || u.NormalizedEmail == key, cancellationToken);
    }

    public Task<User?> FindByUsernameAsync(string username, CancellationToken cancellationToken)
    {
        var key = User.Normalize(username);
        return db.Users.FirstOrDefaultAsync(u => u.NormalizedUsername == key, cancellationToken);
    }

    public Task<User?> FindByIdAsync(int id, CancellationToken cancellationToken) =>
        db.Users.FirstOrDefaultAsync(u => u.Id == id, cancellationToken);

    public void Add(User user) => db.Users.Add(user);

    public Task LockAsync(int userId, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"SELECT 1 FROM paseto_auth.users WHERE id = {userId} FOR UPDATE", cancellationToken);
}
