using Npgsql;
using NpgsqlTypes;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Users;

namespace Paseto.Auth.Infrastructure.Persistence;

/// <summary>
/// The per-request check behind every authenticated call, in one round trip: the session must
/// exist, belong to the token's subject, be neither revoked nor expired, and its user must be
/// active. The same statement moves <c>last_seen_at</c>, but only when it is more than a minute
/// old, so a busy session is not written on every request. Raw SQL on a prepared statement: this
/// is the hot path.
/// </summary>
internal sealed class SessionAuthenticator(NpgsqlDataSource dataSource, TimeProvider time) : ISessionAuthenticator
{
    public static readonly TimeSpan LastSeenResolution = TimeSpan.FromMinutes(1);

    private const string Sql = """
        WITH touched AS (
            UPDATE paseto_auth.sessions SET last_seen_at = $3
            WHERE id = $1 AND revoked_at IS NULL AND last_seen_at < $4
            RETURNING id)
        SELECT u.id, u.username, u.email, u.firstname, u.role, u.is_active, u.created_at, u.updated_at
        FROM paseto_auth.sessions s
        JOIN paseto_auth.users u ON u.id = s.user_id
        WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL AND s.expires_at > $3 AND u.is_active
        """;

    public async Task<CallerIdentity?> AuthenticateAsync(AccessTokenSubject subject, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var command = dataSource.CreateCommand(Sql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = subject.SessionId, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = subject.UserId, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now - LastSeenResolution, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SingleRow, cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var profile = new UserProfile(
            reader.GetInt32(0),
            reader.GetString(1),
            reader.GetString(2),
            reader.GetString(3),
            reader.GetString(4),
            reader.GetBoolean(5),
            reader.GetFieldValue<DateTimeOffset>(6),
            reader.GetFieldValue<DateTimeOffset>(7));
        return new CallerIdentity(profile, subject.SessionId);
    }
}
