using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
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
/// earlier one has already closed. The keys of one attempt are taken in one statement (its own
/// transaction and commit, one round trip), aborted when any refuses, so a refused attempt spends
/// nothing anywhere. The statement holds the rows only while it runs, never across the password hash.
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

    private const string BlockedUntilSql = "SELECT max(blocked_until) FROM paseto_auth.throttle_counters WHERE key = ANY($1) AND blocked_until > $2";

    private static readonly ConcurrentDictionary<string, string> _takeSql = new();

    private const string ResetSql = "DELETE FROM paseto_auth.throttle_counters WHERE key = $1";

    // Only within the window the unit came from: a unit of an hour that is over is not given to the next.
    private const string RefundSql = """
        UPDATE paseto_auth.throttle_counters
        SET count = count - 1, blocked_until = CASE WHEN count - 1 >= $3 THEN blocked_until ELSE NULL END
        WHERE key = $1 AND window_start = $2 AND count > 0
        """;

    public async Task<ThrottleAttempt> TryTakeAsync(IReadOnlyList<ThrottleLimit> limits, CancellationToken cancellationToken)
    {
        if (limits.Count == 0)
        {
            return new ThrottleAttempt([], null);
        }

        var now = time.GetUtcNow();
        await using var take = dataSource.CreateCommand(TakeSql(limits));
        take.Parameters.Add(Time(now));
        foreach (var limit in limits)
        {
            AddParameters(take.Parameters, limit);
        }

        int refusedBy;
        try
        {
            await using var reader = await take.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var units = new List<ThrottleUnit>(limits.Count);
            for (var i = 0; i < limits.Count && !reader.IsDBNull(2 * i); i++)
            {
                units.Add(new ThrottleUnit(limits[i], reader.GetInt32(2 * i), reader.GetFieldValue<DateTimeOffset>((2 * i) + 1)));
            }

            if (units.Count == limits.Count)
            {
                return new ThrottleAttempt(units, null);
            }

            // Only the first limit can be missing here: each later one is taken from the row of the one before.
            refusedBy = 0;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DivisionByZero)
        {
            // A later limit refused after the first took its unit: the statement's deliberate
            // error (TakeSql) rolled every unit back, as a refused attempt must leave nothing.
            refusedBy = 1;
        }

        // The latest block among the limits that can have refused; the statement's row locks are
        // gone, so this reads the newest block, never an older one.
        await using var blocked = dataSource.CreateCommand(BlockedUntilSql);
        blocked.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. limits.Skip(refusedBy).Select(l => l.Key)] });
        blocked.Parameters.Add(Time(now));
        var until = await blocked.ExecuteScalarAsync(cancellationToken) is DateTime value ? new DateTimeOffset(value, TimeSpan.Zero) : now;
        return ThrottleAttempt.Refused(until - now);
    }

    public async Task SucceededAsync(ThrottleAttempt attempt, CancellationToken cancellationToken)
    {
        if (attempt.Units.Count == 0)
        {
            return;
        }

        await using var batch = dataSource.CreateBatch();
        AddSettlement(batch, attempt);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Adds what <see cref="SucceededAsync"/> runs to <paramref name="batch"/>, so that a caller
    /// can commit the settlement with its own changes (a login's session) in one round trip.
    /// </summary>
    internal static void AddSettlement(NpgsqlBatch batch, ThrottleAttempt attempt)
    {
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
    }

    /// <summary>
    /// One statement that takes every limit in order, each upsert fed by the row of the one
    /// before, so a limit that refuses leaves the later ones untouched; when a later limit refuses
    /// after earlier ones took their units, a division by zero aborts the statement and with it
    /// every unit taken. One round trip and one commit whatever the count of limits.
    /// </summary>
    /// <remarks>
    /// Parameter $1 is the time; each limit's own follow (<see cref="AddParameters"/>). The texts
    /// are cached by the kinds of the limits, so each shape is prepared once per connection.
    /// </remarks>
    private static string TakeSql(IReadOnlyList<ThrottleLimit> limits)
    {
        var shape = string.Concat(limits.Select(l => l.Kind == ThrottleKind.Delays ? 'd' : 'b'));
        return _takeSql.GetOrAdd(shape, static shape =>
        {
            var sql = new StringBuilder("WITH ");
            var next = 2;
            for (var i = 0; i < shape.Length; i++)
            {
                var text = shape[i] == 'd' ? TakeDelaySql : TakeBudgetSql;
                var first = next;
                // The templates number the key $1, the time $2 and the limit's settings $3 onwards.
                text = Regex.Replace(text, @"\$(\d)", m => m.Value == "$2" ? "$1" : Invariant($"${first + m.Value[1] - (m.Value == "$1" ? '1' : '2')}"));
                next += shape[i] == 'd' ? 5 : 3;
                if (i > 0)
                {
                    // Fed by the limit before: no row there (refused), no attempt here.
                    var values = text.IndexOf("VALUES (", StringComparison.Ordinal);
                    var close = text.IndexOf(")\nON CONFLICT", StringComparison.Ordinal);
                    text = text[..values] + "SELECT " + text[(values + 8)..close] + Invariant($" FROM t{i - 1}") + text[(close + 1)..];
                }

                sql.Append(i > 0 ? ",\n" : string.Empty).Append(Invariant($"t{i} AS (\n")).Append(text).Append("\n)");
            }

            sql.Append("\nSELECT ").AppendJoin(", ", Enumerable.Range(0, shape.Length).Select(i => Invariant($"t{i}.count, t{i}.window_start")));
            if (shape.Length > 1)
            {
                sql.Append(Invariant($",\n    1 / CASE WHEN t0.count IS NOT NULL AND t{shape.Length - 1}.count IS NULL THEN 0 ELSE 1 END"));
            }

            sql.Append("\nFROM (VALUES (1)) AS one (x)");
            for (var i = 0; i < shape.Length; i++)
            {
                sql.Append(Invariant($" LEFT JOIN t{i} ON true"));
            }

            return sql.ToString();
        });
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    private void AddParameters(NpgsqlParameterCollection parameters, ThrottleLimit limit)
    {
        parameters.Add(new NpgsqlParameter<string> { TypedValue = limit.Key });
        if (limit.Kind == ThrottleKind.Budget)
        {
            parameters.Add(Interval(limit.Window));
            parameters.Add(new NpgsqlParameter<int> { TypedValue = limit.Units });
            return;
        }

        var settings = options.Value.Throttling;
        parameters.Add(Interval(settings.ResetAfter));
        parameters.Add(new NpgsqlParameter<int> { TypedValue = settings.FreeFailures });
        parameters.Add(Interval(settings.BaseDelay));
        parameters.Add(Interval(settings.MaxDelay));
    }

    internal static NpgsqlParameter<DateTimeOffset> Time(DateTimeOffset value) =>
        new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.TimestampTz };

    internal static NpgsqlParameter<TimeSpan> Interval(TimeSpan value) =>
        new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Interval };
}
