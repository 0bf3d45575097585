using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Paseto.Auth.Application;
using Paseto.Auth.Application.Abstractions;

namespace Paseto.Auth.Infrastructure.Throttling;

/// <summary>
/// Counters in <c>paseto_auth.throttle_counters</c>. There is no lockout: a block always ends, and
/// its length grows only with the failures of the source that earned it.
/// </summary>
/// <remarks>
/// A unit is taken by one conditional upsert per key: it counts the attempt only while the key is
/// not blocked, and PostgreSQL runs it under the row's lock, so parallel attempts on any number of
/// instances are decided one after another on the latest count; none can pass a check that an
/// earlier one has already closed. The keys of one attempt are taken in one transaction, rolled
/// back when any refuses, so a refused attempt spends nothing anywhere. The transaction holds the
/// rows only for those statements, never across the password hash.
/// </remarks>
internal sealed class PostgresThrottle(NpgsqlDataSource dataSource, IOptions<AuthOptions> options, TimeProvider time) : IThrottle
{
    // count = failures since the last success (or since ResetAfter of quiet); past FreeFailures,
    // blocked for BaseDelay * 2^(count - FreeFailures - 1), at most MaxDelay.
    private const string TakeDelaySql = """
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
        WHERE c.blocked_until IS NULL OR c.blocked_until <= $2
        RETURNING count, window_start
        """;

    // A budget: the count restarts when its window is over; the unit that reaches the budget
    // blocks the key until the window ends.
    private const string TakeBudgetSql = """
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
        WHERE c.blocked_until IS NULL OR c.blocked_until <= $2
        RETURNING count, window_start
        """;

    private const string BlockedUntilSql = "SELECT blocked_until FROM paseto_auth.throttle_counters WHERE key = $1";

    private const string ResetSql = "DELETE FROM paseto_auth.throttle_counters WHERE key = $1";

    // Only within the window the unit came from: a unit of an hour that is over is not given to the next.
    private const string RefundSql = """
        UPDATE paseto_auth.throttle_counters
        SET count = count - 1, blocked_until = CASE WHEN count - 1 >= $3 THEN blocked_until ELSE NULL END
        WHERE key = $1 AND window_start = $2 AND count > 0
        """;

    public async Task<ThrottleAttempt> TryTakeAsync(IReadOnlyList<ThrottleLimit> limits, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var units = new List<ThrottleUnit>(limits.Count);
        foreach (var limit in limits)
        {
            await using (var take = Take(limit, now, connection, transaction))
            await using (var reader = await take.ExecuteReaderAsync(cancellationToken))
            {
                if (await reader.ReadAsync(cancellationToken))
                {
                    units.Add(new ThrottleUnit(limit, reader.GetInt32(0), reader.GetFieldValue<DateTimeOffset>(1)));
                    continue;
                }
            }

            // Refused: the upsert left the row as it was but locked it, so this reads the block
            // that refused, not an older one.
            await using var blocked = new NpgsqlCommand(BlockedUntilSql, connection, transaction);
            blocked.Parameters.Add(new NpgsqlParameter<string> { TypedValue = limit.Key });
            var until = await blocked.ExecuteScalarAsync(cancellationToken) is DateTime value ? new DateTimeOffset(value, TimeSpan.Zero) : now;
            await transaction.RollbackAsync(cancellationToken);
            return ThrottleAttempt.Refused(until - now);
        }

        await transaction.CommitAsync(cancellationToken);
        return new ThrottleAttempt(units, null);
    }

    public async Task SucceededAsync(ThrottleAttempt attempt, CancellationToken cancellationToken)
    {
        if (attempt.Units.Count == 0)
        {
            return;
        }

        await using var batch = dataSource.CreateBatch();
        foreach (var unit in attempt.Units)
        {
            var command = new NpgsqlBatchCommand(unit.Limit.Kind == ThrottleKind.Delays ? ResetSql : RefundSql);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = unit.Limit.Key });
            if (unit.Limit.Kind == ThrottleKind.Budget)
            {
                command.Parameters.Add(Time(unit.WindowStart));
                command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = unit.Limit.Units });
            }

            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private NpgsqlCommand Take(ThrottleLimit limit, DateTimeOffset now, NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        if (limit.Kind == ThrottleKind.Budget)
        {
            var budget = new NpgsqlCommand(TakeBudgetSql, connection, transaction);
            AddBudgetParameters(budget.Parameters, limit, now);
            return budget;
        }

        var settings = options.Value.Throttling;
        var delay = new NpgsqlCommand(TakeDelaySql, connection, transaction);
        delay.Parameters.Add(new NpgsqlParameter<string> { TypedValue = limit.Key });
        delay.Parameters.Add(Time(now));
        delay.Parameters.Add(Interval(settings.ResetAfter));
        delay.Parameters.Add(new NpgsqlParameter<int> { TypedValue = settings.FreeFailures });
        delay.Parameters.Add(Interval(settings.BaseDelay));
        delay.Parameters.Add(Interval(settings.MaxDelay));
        return delay;
    }

    private static void AddBudgetParameters(NpgsqlParameterCollection parameters, ThrottleLimit limit, DateTimeOffset now)
    {
        parameters.Add(new NpgsqlParameter<string> { TypedValue = limit.Key });
        parameters.Add(Time(now));
        parameters.Add(Interval(limit.Window));
        parameters.Add(new NpgsqlParameter<int> { TypedValue = limit.Units });
    }

    private static NpgsqlParameter<DateTimeOffset> Time(DateTimeOffset value) =>
        new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.TimestampTz };

    private static NpgsqlParameter<TimeSpan> Interval(TimeSpan value) =>
        new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Interval };
}
