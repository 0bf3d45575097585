using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Domain.Sessions;

namespace Paseto.Auth.Infrastructure.Persistence.Repositories;

internal sealed class SessionRepository(AuthDbContext db, CacheInvalidations invalidations, NpgsqlDataSource dataSource) : ISessionRepository
{
    // The row lock of "current" orders concurrent refreshes of one token: the later one waits,
    // re-reads the row, finds another hash and takes nothing (READ COMMITTED's recheck). The
    // rotation moves no column the session cache keeps, so it notifies nothing (the trigger's
    // exclusions); the spent record is what tells a reuse later.
    private const string RotateSql = """
        WITH current AS (
            SELECT s.id, s.user_id, s.refresh_generation
            FROM paseto_auth.sessions s
            JOIN paseto_auth.users u ON u.id = s.user_id
            WHERE s.refresh_token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $3 AND s.refresh_expires_at > $3 AND u.is_active
            FOR UPDATE OF s
        ), rotated AS (
            UPDATE paseto_auth.sessions s
            SET refresh_token_hash = $2, refresh_generation = c.refresh_generation + 1,
                refresh_expires_at = LEAST($3 + $4, s.expires_at), last_seen_at = $3
            FROM current c
            WHERE s.id = c.id AND s.refresh_generation = c.refresh_generation
            RETURNING s.id, s.user_id, s.refresh_expires_at, c.refresh_generation AS spent_generation
        ), spent AS (
            INSERT INTO paseto_auth.spent_refresh_tokens (hash, session_id, generation, spent_at)
            SELECT $1, id, spent_generation, $3 FROM rotated
        )
        SELECT r.id, r.refresh_expires_at, u.id, u.username, u.role
        FROM rotated r
        JOIN paseto_auth.users u ON u.id = r.user_id
        """;

    public void Add(Session session) => db.Sessions.Add(session);

    public async Task<Session?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        await db.Sessions.FindAsync([id], cancellationToken);

    public async Task<RotatedSession?> RotateRefreshTokenAsync(byte[] hash, byte[] newHash, DateTimeOffset now, TimeSpan refreshLifetime, CancellationToken cancellationToken)
    {
        await using var rotate = dataSource.CreateCommand(RotateSql);
        rotate.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = hash });
        rotate.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = newHash });
        rotate.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        rotate.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = refreshLifetime, NpgsqlDbType = NpgsqlDbType.Interval });
        await using var reader = await rotate.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new RotatedSession(reader.GetGuid(0), reader.GetInt32(2), reader.GetString(3), reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(1))
            : null;
    }

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
