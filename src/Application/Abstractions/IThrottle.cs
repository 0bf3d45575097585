namespace Paseto.Auth.Application.Abstractions;

/// <summary>
/// Attempt counters kept in the database, so every instance of the service sees the same counts.
/// Keys are opaque strings chosen by the caller (an account, an account from one address, a device).
/// </summary>
public interface IThrottle
{
    /// <summary>How long until the longest block among <paramref name="keys"/> ends; null when none is blocked.</summary>
    Task<TimeSpan?> CheckAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken);

    /// <summary>Counts a failure for a source: after the free failures, each one blocks it for a doubling delay.</summary>
    Task RecordSourceFailureAsync(string key, CancellationToken cancellationToken);

    /// <summary>Counts a failure against an hourly budget; the failure that reaches it blocks the key until the hour ends.</summary>
    Task RecordBudgetFailureAsync(string key, int perHour, CancellationToken cancellationToken);

    /// <summary>Forgets a source's failures (after a success).</summary>
    Task ResetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Takes one unit of an hourly budget for each key; returns how long to wait when any is spent (nothing is taken then).</summary>
    Task<TimeSpan?> TryConsumeAsync(IReadOnlyList<(string Key, int PerHour)> budgets, CancellationToken cancellationToken);
}
