namespace Paseto.Auth.Application.Abstractions;

/// <summary>
/// Attempt counters kept in the database, so every instance of the service sees the same counts.
/// Keys are opaque strings chosen by the caller (an account, an account from one address, a device).
/// </summary>
/// <remarks>
/// An attempt is reserved before the work it limits (a password hash) and counted as a failure in
/// advance: of any number of parallel attempts, exactly as many get through as would one by one,
/// because the check and the count are one atomic step per key. An attempt that succeeds gives
/// its reservation back with <see cref="SucceededAsync"/>.
/// </remarks>
public interface IThrottle
{
    /// <summary>
    /// Takes one unit of every limit, all or none: when any limit refuses, nothing is taken (not
    /// even from the limits before it) and the attempt says how long the refusing block lasts.
    /// Limits are taken in the order given; a caller lists them in one fixed order, the narrowest
    /// (most often refusing) first, so a refused attempt touches no broader counter.
    /// </summary>
    Task<ThrottleAttempt> TryTakeAsync(IReadOnlyList<ThrottleLimit> limits, CancellationToken cancellationToken);

    /// <summary>
    /// The reserved attempt succeeded: a delay counter forgets its failures (the source proved
    /// itself), a budget gets its unit back.
    /// </summary>
    Task SucceededAsync(ThrottleAttempt attempt, CancellationToken cancellationToken);
}

/// <summary>How a throttle counter decides.</summary>
public enum ThrottleKind
{
    /// <summary>
    /// Growing delays (<c>Auth:Throttling:FreeFailures</c>, <c>BaseDelay</c>, <c>MaxDelay</c>,
    /// <c>ResetAfter</c>): past the free failures, each one blocks the key for a doubling delay.
    /// </summary>
    Delays,

    /// <summary>At most <see cref="ThrottleLimit.Units"/> per window that starts with its first unit; the unit that reaches it blocks the key until the window ends.</summary>
    Budget,
}

/// <summary>One counter an attempt is judged on.</summary>
public sealed record ThrottleLimit(string Key, ThrottleKind Kind, int Units, TimeSpan Window)
{
    /// <summary>A source (an account from one address, a device, …) slowed down by growing delays.</summary>
    public static ThrottleLimit Delays(string key) => new(key, ThrottleKind.Delays, 0, TimeSpan.Zero);

    /// <summary>A budget of <paramref name="units"/> per <paramref name="window"/>.</summary>
    public static ThrottleLimit Budget(string key, int units, TimeSpan window) => new(key, ThrottleKind.Budget, units, window);

    /// <summary>A budget of <paramref name="units"/> an hour.</summary>
    public static ThrottleLimit Hourly(string key, int units) => Budget(key, units, TimeSpan.FromHours(1));
}

/// <summary>A unit an attempt took: the count its key reached and the window it was taken in.</summary>
public sealed record ThrottleUnit(ThrottleLimit Limit, int Count, DateTimeOffset WindowStart);

/// <summary>What <see cref="IThrottle.TryTakeAsync"/> decided: every unit taken, or none and how long to wait.</summary>
public sealed record ThrottleAttempt(IReadOnlyList<ThrottleUnit> Units, TimeSpan? RetryAfter)
{
    public static ThrottleAttempt Refused(TimeSpan retryAfter) => new([], retryAfter);

    public bool Taken => RetryAfter is null;

    /// <summary>The count <paramref name="key"/> reached with this attempt (0 when it took nothing there).</summary>
    public int CountOf(string key) => Units.FirstOrDefault(u => u.Limit.Key == key)?.Count ?? 0;
}
