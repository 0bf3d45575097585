namespace Paseto.Auth.Domain.Email;

/// <summary>
/// One mail waiting to go out (the transactional outbox): written in the same transaction as the
/// change it reports, so a rolled-back change leaves no row, and delivered later by the
/// background sender. It holds no secret: a mail that carries a link has the sender mint the
/// token at send time (<see cref="TokenPurpose"/>), and a sent row keeps no body.
/// </summary>
public sealed class OutboxMessage
{
    /// <summary>The longest last error kept: enough to diagnose, never a whole server transcript.</summary>
    public const int MaxErrorLength = 500;

    private OutboxMessage()
    {
    }

    public long Id { get; private set; }

    /// <summary>The RFC 5322 Message-ID, fixed when the row is written: a retry sends the same mail, not a new one.</summary>
    public string MessageId { get; private set; } = string.Empty;

    public int? UserId { get; private set; }

    public string Recipient { get; private set; } = string.Empty;

    /// <summary>Which mail this is (<see cref="MailKinds"/>): picks the template.</summary>
    public string Kind { get; private set; } = string.Empty;

    /// <summary>The template's values as a JSON object (names, times, addresses, user agents); null once sent.</summary>
    public string? Payload { get; private set; }

    /// <summary>The purpose of the one-time token the sender mints for this mail (<see cref="EmailTokenPurposes"/>), or null.</summary>
    public string? TokenPurpose { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset NextAttemptAt { get; private set; }

    public int Attempts { get; private set; }

    public string? LastError { get; private set; }

    public DateTimeOffset? SentAt { get; private set; }

    public static OutboxMessage Create(int? userId, string recipient, string kind, string payload, string? tokenPurpose, string messageIdDomain, DateTimeOffset now) => new()
    {
        MessageId = $"{Guid.CreateVersion7(now):N}@{messageIdDomain}",
        UserId = userId,
        Recipient = recipient,
        Kind = kind,
        Payload = payload,
        TokenPurpose = tokenPurpose,
        CreatedAt = now,
        NextAttemptAt = now,
    };
}
