using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Domain.Sessions;

namespace Paseto.Auth.UnitTests.Fakes;

internal sealed class FakeSessions : ISessionRepository
{
    private readonly FakeUsers _users;

    /// <param name="users">
    /// Where the users of <see cref="RotateRefreshTokenAsync"/> are found; their login lock counts
    /// the active sessions kept here.
    /// </param>
    public FakeSessions(FakeUsers users)
    {
        _users = users;
        users.ActiveSessions = (userId, now) => Sessions.Count(s => s.UserId == userId && s.IsActive(now));
    }

    public List<Session> Sessions { get; } = [];

    public void Add(Session session) => Sessions.Add(session);

    public List<SpentRefreshToken> Spent { get; } = [];


    public Task<Session?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        Task.FromResult(Sessions.FirstOrDefault(s => s.Id == id));

    /// <summary>Runs once, as the next rotation starts: a concurrent request that gets there first.</summary>
    public Action? BeforeNextRotation { get; set; }

    public Task<RotatedSession?> RotateRefreshTokenAsync(byte[] hash, byte[] newHash, DateTimeOffset now, TimeSpan refreshLifetime, CancellationToken cancellationToken)
    {
        var before = BeforeNextRotation;
        BeforeNextRotation = null;
        before?.Invoke();
        var session = Sessions.FirstOrDefault(s => s.RefreshTokenHash.AsSpan().SequenceEqual(hash) && s.CanRefresh(now));
        var user = _users.Users.FirstOrDefault(u => u.Id == session?.UserId && u.IsActive);
        if (session is null || user is null)
        {
            return Task.FromResult<RotatedSession?>(null);
        }

        Spent.Add(session.Rotate(newHash, now, refreshLifetime));
        return Task.FromResult<RotatedSession?>(new RotatedSession(session.Id, user.Id, user.Username, user.Role, session.RefreshExpiresAt));
    }

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
