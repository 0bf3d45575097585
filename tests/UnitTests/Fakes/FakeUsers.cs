using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.UnitTests.Fakes;

/// <summary>Users in a list; ids are given out as the database would, 1 and up.</summary>
internal sealed class FakeUsers : IUserRepository
{
    public List<User> Users { get; } = [];

    public Task<User?> FindByLoginAsync(string login, CancellationToken cancellationToken) =>
        Task.FromResult(Users.FirstOrDefault(u => u.NormalizedUsername == User.Normalize(login) || u.NormalizedEmail == User.Normalize(login)));

    public Task<User?> FindByUsernameAsync(string username, CancellationToken cancellationToken) =>
        Task.FromResult(Users.FirstOrDefault(u => u.NormalizedUsername == User.Normalize(username)));

    public Task<User?> FindByIdAsync(int id, CancellationToken cancellationToken) =>
        Task.FromResult(Users.FirstOrDefault(u => u.Id == id));

    public Task<User?> FindByEmailAsync(string email, CancellationToken cancellationToken) =>
        Task.FromResult(Users.FirstOrDefault(u => u.NormalizedEmail == User.Normalize(email)));

    public Task<bool> EmailTakenAsync(string email, int exceptUserId, CancellationToken cancellationToken) =>
        Task.FromResult(Users.Any(u => u.Id != exceptUserId && u.NormalizedEmail == User.Normalize(email)));

    public void Add(User user)
    {
        typeof(User).GetProperty(nameof(User.Id))!.SetValue(user, Users.Count + 1);
        Users.Add(user);
    }

    public void Track(User user)
    {
    }

    public Task<byte[]> EnsurePasskeyUserHandleAsync(int userId, byte[] candidate, CancellationToken cancellationToken) => Task.FromResult(candidate);

    public Task LockAndRefreshAsync(User user, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<Guid?> LockAsync(int userId, CancellationToken cancellationToken) =>
        Task.FromResult(Users.FirstOrDefault(u => u.Id == userId)?.CredentialStamp);

    /// <summary>The user's active sessions at a time, when sessions are kept beside (<see cref="FakeSessions"/>).</summary>
    public Func<int, DateTimeOffset, int> ActiveSessions { get; set; } = static (_, _) => 0;

    /// <summary>No devices are known here: every login is an account's first, no news.</summary>
    public Task<LoginLock> LockForLoginAsync(int userId, DateTimeOffset now, ThrottleAttempt? succeeded, CancellationToken cancellationToken) =>
        Task.FromResult(new LoginLock(Users.FirstOrDefault(u => u.Id == userId)?.CredentialStamp, HasDevices: false, ActiveSessions(userId, now)));

    public Task<List<User>> ListAsync(int afterId, int limit, string? prefix, CancellationToken cancellationToken) =>
        Task.FromResult(Users.Where(u => u.Id > afterId).Take(limit).ToList());

    public Task<int> LockActiveAdminsAsync(CancellationToken cancellationToken) =>
        Task.FromResult(Users.Count(u => u.Role == Roles.Admin && u.IsActive));
}
