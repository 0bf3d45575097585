namespace Paseto.Auth.Application.Abstractions;

/// <summary>
/// The transactional outbox as use cases see it: a queued mail is a row added to the unit of
/// work, so it commits with the change it reports and vanishes with a rollback. Values are what
/// the template shows (never a secret); a mail with a link names the token's purpose and the
/// sender mints the token when it sends.
/// </summary>
public interface IMailOutbox
{
    void Enqueue(int? userId, string recipient, string kind, string? tokenPurpose, IReadOnlyDictionary<string, string?> values);
}
