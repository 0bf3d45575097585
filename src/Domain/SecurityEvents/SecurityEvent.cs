namespace Paseto.Auth.Domain.SecurityEvents;

/// <summary>
/// One entry of a user's security history: who signed in, from where, what changed. Append-only;
/// written in the same transaction as the change it describes. <see cref="Details"/> is a JSON
/// object and never holds a secret.
/// </summary>
public sealed class SecurityEvent
{
    private SecurityEvent()
    {
    }

    public long Id { get; private set; }

    /// <summary>
    /// The account; null for a login attempt on a name that has no account, recorded so that
    /// such an attempt costs the same statements as one on an account (neither the name nor the
    /// password is kept: a password typed into the username field must not land here).
    /// </summary>
    public int? UserId { get; private set; }

    public string Type { get; private set; } = string.Empty;

    public DateTimeOffset At { get; private set; }

    public Guid? SessionId { get; private set; }

    public string? Ip { get; private set; }

    public string? UserAgent { get; private set; }

    /// <summary>A JSON object, e.g. <c>{"reason":"logout"}</c>.</summary>
    public string Details { get; private set; } = "{}";

    public static SecurityEvent Create(int? userId, string type, DateTimeOffset at, Guid? sessionId, string? ip, string? userAgent, string details) => new()
    {
        UserId = userId,
        Type = type,
        At = at,
        SessionId = sessionId,
        Ip = ip,
        UserAgent = ClientText.Truncate(userAgent, Sessions.Session.MaxUserAgentLength),
        Details = details,
    };
}
