using System.Collections.Concurrent;
using Npgsql;
using Paseto.Auth.Application.Abstractions;

namespace Paseto.Auth.Infrastructure.Throttling;

/// <summary>
/// <see cref="IRequestBudget"/> over the budget rows of <c>paseto_auth.throttle_counters</c>
/// (<see cref="PostgresThrottle"/>'s rows, same semantics: the window starts with its first unit,
/// and the unit that reaches the budget blocks the key until the window ends). An instance leases
/// a hundredth of the budget at a time (at least one unit), so a budget of 10 is still decided
/// unit by unit in the database, and one of 6,000 a minute costs one round trip per 60 requests.
/// </summary>
/// <remarks>
/// A lease is one round trip: in one transaction the key's row is made if missing, locked, and
/// moved on by the lease (clipped at the budget), so parallel leases on any number of instances
/// are decided one after another on the latest count. A refused lease brings the block's end
/// back, and the instance answers from memory until then. Keys are a caller's bounded set (the
/// configured introspection clients), so the leases are never evicted.
/// </remarks>
internal sealed class LeasedRequestBudget(NpgsqlDataSource dataSource, TimeProvider time) : IRequestBudget
{
    /// <summary>The share of the budget one lease takes: N instances leave at most N/100 of a window unspent.</summary>
    internal const int LeasesPerBudget = 100;

    private const string EnsureSql = """
        INSERT INTO paseto_auth.throttle_counters (key, count, window_start, last_at) VALUES ($1, 0, $2, $2)
        ON CONFLICT (key) DO NOTHING
        """;

    // The count as it stands for this window (0 when its window is over), under the row's lock.
    private const string LockSql = """
        SELECT CASE WHEN window_start <= $2 - $3 THEN 0 ELSE count END, blocked_until
        FROM paseto_auth.throttle_counters WHERE key = $1 FOR UPDATE
        """;

    // $4 the budget, $5 the lease wanted.
    private const string LeaseSql = """
        UPDATE paseto_auth.throttle_counters c SET
            count = CASE WHEN c.window_start <= $2 - $3 THEN LEAST($5, $4) ELSE LEAST(c.count + $5, $4) END,
            window_start = CASE WHEN c.window_start <= $2 - $3 THEN $2 ELSE c.window_start END,
            last_at = $2,
            blocked_until = CASE
                WHEN c.window_start <= $2 - $3 THEN CASE WHEN $5 >= $4 THEN $2 + $3 ELSE NULL END
                WHEN c.count + $5 >= $4 THEN c.window_start + $3
                ELSE NULL END
        WHERE c.key = $1 AND (c.blocked_until IS NULL OR c.blocked_until <= $2)
        RETURNING count, window_start
        """;

    private readonly ConcurrentDictionary<string, Lease> _leases = new(StringComparer.Ordinal);

    public async ValueTask<TimeSpan?> TryTakeAsync(ThrottleLimit budget, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual((int)budget.Kind, (int)ThrottleKind.Budget, nameof(budget));
        var lease = _leases.GetOrAdd(budget.Key, static _ => new Lease());
        if (lease.TryTake(time.GetUtcNow(), out var retryAfter))
        {
            return retryAfter;
        }

        // One lease at a time per key: the requests that find it spent wait for it, not for a lease each.
        await lease.Refill.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            if (lease.TryTake(now, out retryAfter))
            {
                return retryAfter;
            }

            var (granted, windowStart, blockedUntil) = await LeaseAsync(budget, now, cancellationToken);
            return lease.Refilled(now, granted, windowStart + budget.Window, blockedUntil);
        }
        finally
        {
            lease.Refill.Release();
        }
    }

    private async Task<(int Granted, DateTimeOffset WindowStart, DateTimeOffset? BlockedUntil)> LeaseAsync(
        ThrottleLimit budget, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var wanted = Math.Max(1, budget.Units / LeasesPerBudget);
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Command(EnsureSql, budget.Key, now));
        batch.BatchCommands.Add(Command(LockSql, budget.Key, now, budget.Window));
        var lease = Command(LeaseSql, budget.Key, now, budget.Window);
        lease.Parameters.Add(new NpgsqlParameter<int> { TypedValue = budget.Units });
        lease.Parameters.Add(new NpgsqlParameter<int> { TypedValue = wanted });
        batch.BatchCommands.Add(lease);

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var before = reader.GetInt32(0);
        DateTimeOffset? blockedUntil = reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1);
        await reader.NextResultAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return (0, now, blockedUntil);
        }

        // "before" is already 0 when the lease restarted the window.
        return (reader.GetInt32(0) - before, reader.GetFieldValue<DateTimeOffset>(1), null);
    }

    private static NpgsqlBatchCommand Command(string sql, string key, DateTimeOffset now, TimeSpan? window = null)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        command.Parameters.Add(PostgresThrottle.Time(now));
        if (window is { } span)
        {
            command.Parameters.Add(PostgresThrottle.Interval(span));
        }

        return command;
    }

    /// <summary>One key's units in this instance's hands, and the block it last heard of.</summary>
    private sealed class Lease
    {
        private readonly Lock _gate = new();
        private int _remaining;
        private DateTimeOffset _windowEnd;
        private DateTimeOffset _blockedUntil;

        public SemaphoreSlim Refill { get; } = new(1, 1);

        /// <summary>Answers from memory: true with null (taken) or the wait; false when a lease is needed.</summary>
        public bool TryTake(DateTimeOffset now, out TimeSpan? retryAfter)
        {
            lock (_gate)
            {
                retryAfter = null;
                if (now < _blockedUntil)
                {
                    retryAfter = _blockedUntil - now;
                    return true;
                }

                if (_remaining > 0 && now < _windowEnd)
                {
                    _remaining--;
                    return true;
                }

                return false;
            }
        }

        /// <summary>Keeps a new lease, taking this request's unit from it; null when taken, else the wait.</summary>
        public TimeSpan? Refilled(DateTimeOffset now, int granted, DateTimeOffset windowEnd, DateTimeOffset? blockedUntil)
        {
            lock (_gate)
            {
                if (granted <= 0)
                {
                    _remaining = 0;
                    _blockedUntil = blockedUntil ?? now;
                    return _blockedUntil > now ? _blockedUntil - now : TimeSpan.FromSeconds(1);
                }

                _remaining = granted - 1;
                _windowEnd = windowEnd;
                return null;
            }
        }
    }
}
