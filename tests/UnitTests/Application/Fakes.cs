using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Domain.Devices;
using Paseto.Auth.Domain.SecurityEvents;
using Paseto.Auth.Domain.Sessions;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.UnitTests.Application;

/// <summary>Hand-written fakes for handler tests: they record what the handler asked for.</summary>
internal sealed class FakeUsers : IUserRepository
{
    public List<User> Users { get; } = [];

    public Task<User?> FindByLoginAsync(string login, CancellationToken cancellationToken) =>
        Task.FromResult(Users.FirstOrDefault(u => u.NormalizedUsername == User.Normalize(login) || u.NormalizedEmail == User.Normalize(login)));

    public Task<User?> FindByUsernameAsync(string username, CancellationToken cancellationToken) =>
        Task.FromResult(Users.FirstOrDefault(u => u.NormalizedUsername == User.Normalize(username)));

    public Task<User?> FindByIdAsync(int id, CancellationToken cancellationToken) =>
        Task.FromResult(Users.FirstOrDefault(u => u.Id == id));

    public void Add(User user) => Users.Add(user);

    public void Track(User user)
    {
    }

    public Task<Guid?> LockAsync(int userId, CancellationToken cancellationToken) =>
        Task.FromResult(Users.FirstOrDefault(u => u.Id == userId)?.CredentialStamp);

    public Task<List<User>> ListAsync(int afterId, int limit, string? prefix, CancellationToken cancellationToken) =>
        Task.FromResult(Users.Where(u => u.Id > afterId).Take(limit).ToList());

    public Task<int> LockActiveAdminsAsync(CancellationToken cancellationToken) =>
        Task.FromResult(Users.Count(u => u.Role == Roles.Admin && u.IsActive));
}

internal sealed class FakeSessions : ISessionRepository
{
    public List<Session> Sessions { get; } = [];

    public void Add(Session session) => Sessions.Add(session);

    public List<SpentRefreshToken> Spent { get; } = [];

    public void AddSpent(SpentRefreshToken spent) => Spent.Add(spent);

    public Task<Session?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        Task.FromResult(Sessions.FirstOrDefault(s => s.Id == id));

    public Task<Session?> FindByRefreshTokenAsync(byte[] hash, CancellationToken cancellationToken) =>
        Task.FromResult(Sessions.FirstOrDefault(s => s.RefreshTokenHash.AsSpan().SequenceEqual(hash)));

    public Task<Guid?> FindSessionOfSpentTokenAsync(byte[] hash, CancellationToken cancellationToken) =>
        Task.FromResult(Spent.FirstOrDefault(s => s.Hash.AsSpan().SequenceEqual(hash))?.SessionId);

    public Task<List<Session>> ListActiveAsync(int userId, DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromResult(Sessions.Where(s => s.UserId == userId && s.IsActive(now)).OrderBy(s => s.CreatedAt).ToList());

    public Task<IReadOnlyList<Guid>> RevokeAllAsync(int userId, Guid? exceptSessionId, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var revoked = Sessions.Where(s => s.UserId == userId && s.Id != exceptSessionId && s.RevokedAt is null).ToList();
        revoked.ForEach(s => s.Revoke(reason, now));
        return Task.FromResult<IReadOnlyList<Guid>>([.. revoked.Select(s => s.Id)]);
    }

    public Task<int?> RevokeNowAsync(Guid id, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var session = Sessions.FirstOrDefault(s => s.Id == id && s.RevokedAt is null);
        session?.Revoke(reason, now);
        return Task.FromResult(session?.UserId);
    }
}

internal sealed class FakeEvents : ISecurityEventRepository
{
    public List<SecurityEvent> Events { get; } = [];

    public void Add(SecurityEvent securityEvent) => Events.Add(securityEvent);

    public Task<List<SecurityEvent>> ListAsync(int userId, long beforeId, int limit, string? type, CancellationToken cancellationToken) =>
        Task.FromResult(Events.Where(e => e.UserId == userId && (type is null || e.Type == type)).Take(limit).ToList());
}

internal sealed class FakeUnitOfWork : IUnitOfWork
{
    public int Commits { get; private set; }

    public Task SaveChangesAsync(CancellationToken cancellationToken)
    {
        Commits++;
        return Task.CompletedTask;
    }

    public Task<T> InTransactionAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken) => work(cancellationToken);
}

/// <summary>"Hashes" by prefixing; counts the expensive calls.</summary>
internal sealed class CountingHasher(PasswordVerification onMatch = PasswordVerification.Succeeded) : IPasswordHasher
{
    public int Hashes { get; private set; }

    public int Verifies { get; private set; }

    public int Burns { get; private set; }

    public ValueTask<string> HashAsync(string password, CancellationToken ct)
    {
        Hashes++;
        return ValueTask.FromResult("hash:" + password);
    }

    public ValueTask<PasswordVerification> VerifyAsync(string password, string storedHash, CancellationToken ct)
    {
        Verifies++;
        return ValueTask.FromResult(storedHash == "hash:" + password ? onMatch : PasswordVerification.Failed);
    }

    public ValueTask BurnAsync(string password, CancellationToken ct)
    {
        Burns++;
        return ValueTask.CompletedTask;
    }
}

internal sealed class FakeTokens : ITokenService
{
    public IReadOnlyList<PublicKeyInfo> PublicKeys => [];

    public IssuedAccessToken IssueAccessToken(AccessTokenSubject subject, DateTimeOffset now) =>
        new($"token-for-{subject.UserId}-{subject.SessionId}", now.AddMinutes(15));

    public AccessTokenStatus ReadAccessToken(string token, out AccessTokenSubject? subject)
    {
        subject = null;
        return AccessTokenStatus.Invalid;
    }

    public AccessTokenStatus InspectAccessToken(string token, out InspectedAccessToken? inspected)
    {
        inspected = null;
        return AccessTokenStatus.Invalid;
    }
}

internal sealed class NoThrottle : IThrottle
{
    public Task<ThrottleAttempt> TryTakeAsync(IReadOnlyList<ThrottleLimit> limits, CancellationToken cancellationToken) =>
        Task.FromResult(new ThrottleAttempt([.. limits.Select(l => new ThrottleUnit(l, 1, DateTimeOffset.UnixEpoch))], null));

    public Task SucceededAsync(ThrottleAttempt attempt, CancellationToken cancellationToken) => Task.CompletedTask;
}

internal sealed class FakeDevices : IDeviceRepository
{
    public List<Device> Devices { get; } = [];

    public void Add(Device device) => Devices.Add(device);

    public Task<Device?> FindActiveAsync(int userId, byte[] tokenHash, CancellationToken cancellationToken) =>
        Task.FromResult(Devices.FirstOrDefault(d => d.UserId == userId && d.RevokedAt is null && d.TokenHash.AsSpan().SequenceEqual(tokenHash)));

    public Task<Device?> FindAsync(Guid id, CancellationToken cancellationToken) => Task.FromResult(Devices.FirstOrDefault(d => d.Id == id));

    public Task<List<Device>> ListActiveAsync(int userId, CancellationToken cancellationToken) =>
        Task.FromResult(Devices.Where(d => d.UserId == userId && d.RevokedAt is null).ToList());
}
