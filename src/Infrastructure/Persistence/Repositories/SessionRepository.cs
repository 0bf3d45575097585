using Microsoft.EntityFrameworkCore;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Domain.Sessions;

namespace Paseto.Auth.Infrastructure.Persistence.Repositories;

internal sealed class SessionRepository(AuthDbContext db) : ISessionRepository
{
    public void Add(Session session) => db.Sessions.Add(session);

    public void AddSpent(SpentRefreshToken spent) => db.SpentRefreshTokens.Add(spent);

    public async Task<Session?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        await db.Sessions.FindAsync([id], cancellationToken);

    public Task<Session?> FindByRefreshTokenAsync(byte[] hash, CancellationToken cancellationToken) =>
        db.Sessions.FirstOrDefaultAsync(s => s.RefreshTokenHash == hash, cancellationToken);

    public Task<Guid?> FindSessionOfSpentTokenAsync(byte[] hash, CancellationToken cancellationToken) =>
        db.SpentRefreshTokens.Where(t => t.Hash == hash).Select(t => (Guid?)t.SessionId).FirstOrDefaultAsync(cancellationToken);

    public Task<List<Session>> ListActiveAsync(int userId, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.Sessions
            .Where(s => s.UserId == userId && s.RevokedAt == null && s.ExpiresAt > now)
            .OrderBy(s => s.CreatedAt)
            .ToListAsync(cancellationToken);

    public Task<int> RevokeAllAsync(int userId, Guid? exceptSessionId, string reason, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.Sessions
            .Where(s => s.UserId == userId && s.RevokedAt == null && s.Id != exceptSessionId)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.RevokedAt, now).SetProperty(s => s.RevokeReason, reason), cancellationToken);

    public Task RevokeNowAsync(Guid id, string reason, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.Sessions
            .Where(s => s.Id == id && s.RevokedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.RevokedAt, now).SetProperty(s => s.RevokeReason, reason), cancellationToken);
}
