using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Domain.Sessions;

namespace Paseto.Auth.UnitTests.Fakes;

/// <param name="users">Where the users of <see cref="FindByRefreshTokenAsync"/> are found.</param>
internal sealed class FakeSessions(FakeUsers users) : ISessionRepository
{
    public List<Session> Sessions { get; } = [];

    public void Add(Session session) => Sessions.Add(session);

    public List<SpentRefreshToken> Spent { get; } = [];

    public void AddSpent(SpentRefreshToken spent) => Spent.Add(spent);

    public Task<Session?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        Task.FromResult(Sessions.FirstOrDefault(s => s.Id == id));

    public Task<SessionOfUser?> FindByRefreshTokenAsync(byte[] hash, CancellationToken cancellationToken) =>
        Task.FromResult(Sessions
            .Where(s => s.RefreshTokenHash.AsSpan().SequenceEqual(hash))
            .Select(s => users.Users.FirstOrDefault(u => u.Id == s.UserId) is { } user ? new SessionOfUser(s, user) : null)
            .FirstOrDefault());

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
