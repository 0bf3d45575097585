namespace Paseto.Auth.Domain.Devices;

/// <summary>
/// A device that has logged in successfully before (OWASP "device cookies"). Its token (only the
/// hash is stored) lets it log in on its own failure counter, so a flood of guesses from elsewhere
/// does not keep the owner's known devices out.
/// </summary>
public sealed class Device
{
    private Device()
    {
    }

    public Guid Id { get; private set; }

    public int UserId { get; private set; }

    public byte[] TokenHash { get; private set; } = [];

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset LastUsedAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    public string? UserAgent { get; private set; }

    public static Device Register(int userId, byte[] tokenHash, string? userAgent, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        UserId = userId,
        TokenHash = tokenHash,
        CreatedAt = now,
        LastUsedAt = now,
        UserAgent = Sessions.Session.TruncateUserAgent(userAgent),
    };

    public void Used(DateTimeOffset now) => LastUsedAt = now;

    public void Revoke(DateTimeOffset now) => RevokedAt ??= now;
}
