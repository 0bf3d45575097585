using System.Collections.Concurrent;
using Npgsql;
using NpgsqlTypes;
using Paseto.Auth.Application.Abstractions;

namespace Paseto.Auth.Infrastructure.Authentication;

/// <summary>What the bearer check read of a live session: the caller, and what decides how long it may be remembered.</summary>
internal sealed record SessionRead(CallerIdentity Caller, DateTimeOffset ExpiresAt, DateTimeOffset LastSeenAt);

/// <summary>Reads a session for the bearer check from the database (<see cref="SessionReader"/>).</summary>
internal interface ISessionReader
{
    /// <returns>The session's caller, or null when it no longer speaks for anyone (<see cref="ISessionAuthenticator"/>).</returns>
    Task<SessionRead?> ReadAsync(AccessTokenSubject subject, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>
/// The database half of the per-request check behind every authenticated call, in one round trip: the session must
/// exist, belong to the token's subject, be neither revoked nor expired, and its user must be
/// active. The statement finds the session by its primary key alone and the subject is compared
/// here, so PostgreSQL reads one session row however many sessions the user has. The same
/// statement moves <c>last_seen_at</c>, but only when it is more than a minute old, so a busy
/// session is not written on every request. Raw SQL on a prepared statement: this is the hot path.
/// </summary>
/// <remarks>
/// The statement that may move <c>last_seen_at</c> costs PostgreSQL about a third more than a
/// plain read even when it moves nothing (the update is planned and the table's indexes opened on
/// every call). So the process remembers the <c>last_seen_at</c> each session had when it last
/// read it, and while that is under a minute old sends the plain read instead: the update could
/// not have matched, because <c>last_seen_at</c> only moves forward. Both are one round trip, and
/// every check of revocation, expiry and the user is in both. Entries older than a minute are
/// useless and are dropped once a minute, so memory follows the sessions seen in the last minute
/// or two.
/// </remarks>
internal sealed class SessionReader(NpgsqlDataSource dataSource) : ISessionReader
{
    public static readonly TimeSpan LastSeenResolution = TimeSpan.FromMinutes(1);

    private const string Account = "u.id, u.username, u.email, u.firstname, u.role, u.is_active, u.created_at, u.updated_at, u.email_verified_at IS NOT NULL, u.pending_email, s.expires_at";
    private const string Alive = "s.id = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 AND u.is_active";

    // A data-modifying CTE's rows are not visible to the main query, which reads last_seen_at as
    // it was; the one the update wrote comes from the CTE.
    private const string TouchSql = $"""
        WITH touched AS (
            UPDATE paseto_auth.sessions SET last_seen_at = $2
            WHERE id = $1 AND revoked_at IS NULL AND last_seen_at < $3
            RETURNING last_seen_at)
        SELECT {Account}, coalesce((SELECT last_seen_at FROM touched), s.last_seen_at), s.auth_methods, u.mfa_enabled
        FROM paseto_auth.sessions s
        JOIN paseto_auth.users u ON u.id = s.user_id
        WHERE {Alive}
        """;

    private const string ReadSql = $"""
        SELECT {Account}, s.last_seen_at, s.auth_methods, u.mfa_enabled
        FROM paseto_auth.sessions s
        JOIN paseto_auth.users u ON u.id = s.user_id
        WHERE {Alive}
        """;

    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _lastSeen = new();
    private long _nextPruneTicks;

    public async Task<SessionRead?> ReadAsync(AccessTokenSubject subject, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var staleBefore = now - LastSeenResolution;
        PruneIfDue(now, staleBefore);
        var known = _lastSeen.TryGetValue(subject.SessionId, out var remembered);
        var touch = !known || remembered < staleBefore;

        await using var command = dataSource.CreateCommand(touch ? TouchSql : ReadSql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = subject.SessionId, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        if (touch)
        {
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = staleBefore, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        }

        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SingleRow, cancellationToken);
        // A session of another user cannot come from a token this service issued; refused all the same.
        if (!await reader.ReadAsync(cancellationToken) || reader.GetInt32(0) != subject.UserId)
        {
            if (known)
            {
                _lastSeen.TryRemove(subject.SessionId, out _);
            }

            return null;
        }

        var account = new CallerAccount(
            reader.GetInt32(0),
            reader.GetString(1),
            reader.GetString(2),
            reader.GetString(3),
            reader.GetString(4),
            reader.GetBoolean(5),
            reader.GetFieldValue<DateTimeOffset>(6),
            reader.GetFieldValue<DateTimeOffset>(7),
            reader.GetBoolean(8),
            reader.IsDBNull(9) ? null : reader.GetString(9),
            reader.GetBoolean(13));
        var expiresAt = reader.GetFieldValue<DateTimeOffset>(10);
        var lastSeen = reader.GetFieldValue<DateTimeOffset>(11);
        if (!known || lastSeen != remembered)
        {
            _lastSeen[subject.SessionId] = lastSeen;
        }

        return new SessionRead(new CallerIdentity(account, subject.SessionId, AuthMethods: reader.GetFieldValue<string[]>(12)), expiresAt, lastSeen);
    }

    /// <summary>Once a resolution period, drops what can no longer spare an update.</summary>
    private void PruneIfDue(DateTimeOffset now, DateTimeOffset staleBefore)
    {
        var due = Volatile.Read(ref _nextPruneTicks);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref _nextPruneTicks, now.UtcTicks + LastSeenResolution.Ticks, due) != due)
        {
            return;
        }

        foreach (var entry in _lastSeen)
        {
            if (entry.Value < staleBefore)
            {
                // Only if unchanged: a request may have just remembered a newer value.
                _lastSeen.TryRemove(entry);
            }
        }
    }
}
