namespace Paseto.Auth.Domain.Sessions;

/// <summary>
/// One login on one device. Its access tokens carry its id (<c>sid</c>), so revoking the row
/// stops them at once; its refresh token is stored only as a hash and rotates on every use.
/// </summary>
public sealed class Session
{
    private Session()
    {
    }

    public Guid Id { get; private set; }

    public int UserId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset LastSeenAt { get; private set; }

    /// <summary>The absolute end of the session, however often it is refreshed.</summary>
    public DateTimeOffset ExpiresAt { get; private set; }

    /// <summary>When the current refresh token stops working if it is not used.</summary>
    public DateTimeOffset RefreshExpiresAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    public string? RevokeReason { get; private set; }

    public string? UserAgent { get; private set; }

    public string? Ip { get; private set; }

    /// <summary>SHA-256 of the current refresh token.</summary>
    public byte[] RefreshTokenHash { get; private set; } = [];

    /// <summary>How many times the refresh token has rotated.</summary>
    public int RefreshGeneration { get; private set; }

    /// <summary>
    /// How the login that started the session proved itself (<c>Users.AuthMethods</c>): the
    /// password, and the second factor when one was used. Refreshes keep them.
    /// </summary>
    public IReadOnlyList<string> AuthMethods { get; private set; } = [];

    public static Session Start(
        int userId,
        byte[] refreshTokenHash,
        DateTimeOffset now,
        TimeSpan absoluteLifetime,
        TimeSpan refreshLifetime,
        string? userAgent,
        string? ip,
        IReadOnlyList<string> authMethods)
    {
        var expiresAt = now + absoluteLifetime;
        return new Session
        {
            Id = Guid.CreateVersion7(now),
            UserId = userId,
            CreatedAt = now,
            LastSeenAt = now,
            ExpiresAt = expiresAt,
            RefreshExpiresAt = Min(now + refreshLifetime, expiresAt),
            UserAgent = ClientText.Truncate(userAgent, MaxUserAgentLength),
            Ip = ip,
            RefreshTokenHash = refreshTokenHash,
            AuthMethods = authMethods,
        };
    }

    public const int MaxUserAgentLength = 512;

    public bool IsActive(DateTimeOffset now) => RevokedAt is null && now < ExpiresAt;

    /// <summary>Whether the current refresh token may still be exchanged.</summary>
    public bool CanRefresh(DateTimeOffset now) => IsActive(now) && now < RefreshExpiresAt;

    /// <summary>
    /// Replaces the refresh token: the old one is spent and returned as a record, so presenting it
    /// again is recognised as reuse. The refresh window starts again, never past the absolute end.
    /// </summary>
    public SpentRefreshToken Rotate(byte[] newRefreshTokenHash, DateTimeOffset now, TimeSpan refreshLifetime)
    {
        var spent = new SpentRefreshToken(RefreshTokenHash, Id, RefreshGeneration, now);
        RefreshTokenHash = newRefreshTokenHash;
        RefreshGeneration++;
        RefreshExpiresAt = Min(now + refreshLifetime, ExpiresAt);
        LastSeenAt = now;
        return spent;
    }

    public void Revoke(string reason, DateTimeOffset now)
    {
        if (RevokedAt is null)
        {
            RevokedAt = now;
            RevokeReason = reason;
        }
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
