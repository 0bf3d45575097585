namespace Paseto.Auth.Infrastructure.Throttling;

/// <summary>A row of <c>throttle_counters</c>; read and written by <see cref="PostgresThrottle"/> in plain SQL.</summary>
internal sealed class ThrottleCounter
{
    public string Key { get; set; } = string.Empty;

    public int Count { get; set; }

    public DateTimeOffset WindowStart { get; set; }

    public DateTimeOffset LastAt { get; set; }

    public DateTimeOffset? BlockedUntil { get; set; }
}
