using System.Net;
using Npgsql;
using NpgsqlTypes;
using Paseto.Auth.Application.Sessions;

namespace Paseto.Auth.Infrastructure.Persistence.Repositories;

/// <summary>
/// <c>GET /v1/sessions</c> and its admin twin: both statements in one batch, one round trip, read
/// straight into the list's records. Each statement is the one Entity Framework sent before (the
/// same predicates, so the same plans over <c>ix_sessions_user_id_created_at</c> and
/// <c>ix_devices_user_id</c>), with only the columns the list shows.
/// </summary>
internal sealed class SessionListReader(NpgsqlDataSource dataSource) : ISessionListReader
{
    private const string SessionsSql = """
        SELECT s.id, s.created_at, s.last_seen_at, s.expires_at, s.user_agent, s.ip
        FROM paseto_auth.sessions AS s
        WHERE s.user_id = $1 AND s.revoked_at IS NULL AND s.expires_at > $2
        ORDER BY s.created_at DESC
        """;

    private const string DevicesSql = """
        SELECT d.id, d.created_at, d.last_used_at, d.user_agent
        FROM paseto_auth.devices AS d
        WHERE d.user_id = $1 AND d.revoked_at IS NULL
        ORDER BY d.last_used_at DESC
        """;

    public async Task<SessionList> ReadAsync(int userId, DateTimeOffset now, Guid currentSessionId, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        var sessions = new NpgsqlBatchCommand(SessionsSql);
        sessions.Parameters.Add(new NpgsqlParameter<int> { TypedValue = userId });
        sessions.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        batch.BatchCommands.Add(sessions);
        var devices = new NpgsqlBatchCommand(DevicesSql);
        devices.Parameters.Add(new NpgsqlParameter<int> { TypedValue = userId });
        batch.BatchCommands.Add(devices);

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var items = new List<SessionInfo>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetGuid(0);
            items.Add(new SessionInfo(
                id,
                reader.GetFieldValue<DateTimeOffset>(1),
                reader.GetFieldValue<DateTimeOffset>(2),
                reader.GetFieldValue<DateTimeOffset>(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                // As the entity's converter shows it: IPAddress's text, not PostgreSQL's.
                reader.IsDBNull(5) ? null : reader.GetFieldValue<IPAddress>(5).ToString(),
                id == currentSessionId));
        }

        await reader.NextResultAsync(cancellationToken);
        var known = new List<DeviceInfo>();
        while (await reader.ReadAsync(cancellationToken))
        {
            known.Add(new DeviceInfo(
                reader.GetGuid(0),
                reader.GetFieldValue<DateTimeOffset>(1),
                reader.GetFieldValue<DateTimeOffset>(2),
                reader.IsDBNull(3) ? null : reader.GetString(3)));
        }

        return new SessionList(items, known);
    }
}
