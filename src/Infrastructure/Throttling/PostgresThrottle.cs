using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Paseto.Auth.Application;
using Paseto.Auth.Application.Abstractions;

namespace Paseto.Auth.Infrastructure.Throttling;

/// <summary>
/// Counters in <c>paseto_auth.throttle_counters</c>, each update one atomic upsert, so parallel
/// attempts on several instances count exactly. There is no lockout: a block always ends, and
/// its length grows only with the failures of the source that earned it.
/// </summary>
internal sealed class PostgresThrottle(NpgsqlDataSource dataSource, IOptions<AuthOptions> options, TimeProvider time) : IThrottle
{
    private static readonly TimeSpan _hour = TimeSpan.FromHours(1);

    public async Task<TimeSpan?> CheckAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var command = dataSource.CreateCommand(
            "SELECT max(blocked_until) FROM paseto_auth.throttle_counters WHERE key = ANY($1) AND blocked_until > $2");
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. keys] });
        command.Parameters.Add(Time(now));
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime until
            ? new DateTimeOffset(until, TimeSpan.Zero) - now
            : null;
    }

    public async Task RecordSourceFailureAsync(string key, CancellationToken cancellationToken)
    {
        var settings = options.Value.Throttling;
        var now = time.GetUtcNow();
        // count = failures since the last success (or since ResetAfter of quiet); past FreeFailures,
        // blocked for BaseDelay * 2^(count - FreeFailures - 1), at most MaxDelay.
        await using var command = dataSource.CreateCommand("""
            INSERT INTO paseto_auth.throttle_counters AS c (key, count, window_start, last_at, blocked_until)
            VALUES ($1, 1, $2, $2, CASE WHEN 1 > $4 THEN $2 + $5 ELSE NULL END)
            ON CONFLICT (key) DO UPDATE SET
                count = CASE WHEN c.last_at < $2 - $3 THEN 1 ELSE c.count + 1 END,
                window_start = CASE WHEN c.last_at < $2 - $3 THEN $2 ELSE c.window_start END,
                last_at = $2,
                blocked_until = CASE
                    WHEN c.last_at < $2 - $3 THEN CASE WHEN 1 > $4 THEN $2 + $5 ELSE NULL END
                    WHEN c.count + 1 > $4 THEN $2 + LEAST($5 * power(2, LEAST(c.count + 1 - $4 - 1, 30)), $6)
                    ELSE NULL END
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        command.Parameters.Add(Time(now));
        command.Parameters.Add(Interval(settings.ResetAfter));
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = settings.FreeFailures });
        command.Parameters.Add(Interval(settings.BaseDelay));
        command.Parameters.Add(Interval(settings.MaxDelay));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task RecordBudgetFailureAsync(string key, int perHour, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(BudgetSql(consumeOnlyWhenOpen: false));
        AddBudgetParameters(command, key, perHour, time.GetUtcNow());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ResetAsync(string key, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM paseto_auth.throttle_counters WHERE key = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<TimeSpan?> TryConsumeAsync(IReadOnlyList<(string Key, int PerHour)> budgets, CancellationToken cancellationToken)
    {
        var blocked = await CheckAsync([.. budgets.Select(b => b.Key)], cancellationToken);
        if (blocked is not null)
        {
            return blocked;
        }

        await using var batch = dataSource.CreateBatch();
        var now = time.GetUtcNow();
        foreach (var (key, perHour) in budgets)
        {
            var command = new NpgsqlBatchCommand(BudgetSql(consumeOnlyWhenOpen: true));
            AddBudgetParameters(command.Parameters, key, perHour, now);
            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
        return null;
    }

    /// <summary>
    /// An hourly budget: the count restarts when its hour is over; the unit that reaches the budget
    /// blocks the key until the hour ends.
    /// </summary>
    private static string BudgetSql(bool consumeOnlyWhenOpen) => $"""
        INSERT INTO paseto_auth.throttle_counters AS c (key, count, window_start, last_at, blocked_until)
        VALUES ($1, 1, $2, $2, CASE WHEN 1 >= $4 THEN $2 + $3 ELSE NULL END)
        ON CONFLICT (key) DO UPDATE SET
            count = CASE WHEN c.window_start <= $2 - $3 THEN 1 ELSE c.count + 1 END,
            window_start = CASE WHEN c.window_start <= $2 - $3 THEN $2 ELSE c.window_start END,
            last_at = $2,
            blocked_until = CASE
                WHEN c.window_start <= $2 - $3 THEN CASE WHEN 1 >= $4 THEN $2 + $3 ELSE NULL END
                WHEN c.count + 1 >= $4 THEN c.window_start + $3
                ELSE NULL END
        {(consumeOnlyWhenOpen ? "WHERE c.blocked_until IS NULL OR c.blocked_until <= $2" : string.Empty)}
        """;

    private static void AddBudgetParameters(NpgsqlCommand command, string key, int perHour, DateTimeOffset now) =>
        AddBudgetParameters(command.Parameters, key, perHour, now);

    private static void AddBudgetParameters(NpgsqlParameterCollection parameters, string key, int perHour, DateTimeOffset now)
    {
        parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        parameters.Add(Time(now));
        parameters.Add(Interval(_hour));
        parameters.Add(new NpgsqlParameter<int> { TypedValue = perHour });
    }

    private static NpgsqlParameter<DateTimeOffset> Time(DateTimeOffset value) =>
        new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.TimestampTz };

    private static NpgsqlParameter<TimeSpan> Interval(TimeSpan value) =>
        new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Interval };
}
