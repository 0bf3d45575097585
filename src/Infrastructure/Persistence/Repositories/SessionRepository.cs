using Microsoft.EntityFrameworkCore;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Domain.Sessions;

namespace Paseto.Auth.Infrastructure.Persistence.Repositories;

internal sealed class SessionRepository(AuthDbContext db, CacheInvalidations invalidations) : ISessionRepository
{
    public void Add(Session session) => db.Sessions.Add(session);

    public void AddSpent(SpentRefreshToken spent) => db.SpentRefreshTokens.Add(spent);

    public async Task<Session?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        await db.Sessions.FindAsync([id], cancellationToken);

    public Task<SessionOfUser?> FindByRefreshTokenAsync(byte[] hash, CancellationToken cancellationToken) =>
        db.Sessions
            .Where(s => s.RefreshTokenHash == hash)
            .Join(db.Users, s => s.UserId, u => u.Id, (s, u) => new SessionOfUser(s, u))
            .FirstOrDefaultAsync(cancellationToken);

    public Task<Guid?> FindSessionOfSpentTokenAsync(byte[] hash, CancellationToken cancellationToken) =>
        db.SpentRefreshTokens.Where(t => t.Hash == hash).Select(t => (Guid?)t.SessionId).FirstOrDefaultAsync(cancellationToken);

    public Task<List<Session>> ListActiveAsync(int userId, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.Sessions
            .Where(s => s.UserId == userId && s.RevokedAt == null && s.ExpiresAt > now)
            .OrderBy(s => s.CreatedAt)
            .ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<Guid>> RevokeAllAsync(int userId, Guid? exceptSessionId, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var revoked = await db.Database.SqlQuery<Guid>($"""
            UPDATE paseto_auth.sessions SET revoked_at = {now}, revoke_reason = {reason}
            WHERE user_id = {userId} AND revoked_at IS NULL AND id IS DISTINCT FROM {exceptSessionId}
            RETURNING id AS "Value"
            """).ToListAsync(cancellationToken);
        revoked.ForEach(invalidations.Session);
        invalidations.ApplyIfCommitted();
        return revoked;
    }

    public async Task<int?> RevokeNowAsync(Guid id, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var userId = (await db.Database.SqlQuery<int>($"""
            UPDATE paseto_auth.sessions SET revoked_at = {now}, revoke_reason = {reason}
            WHERE id = {id} AND revoked_at IS NULL
            RETURNING user_id AS "Value"
            """).ToListAsync(cancellationToken)).Cast<int?>().FirstOrDefault();
        invalidations.Session(id);
        invalidations.ApplyIfCommitted();
        return userId;
    }
}
