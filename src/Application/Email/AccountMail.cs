using System.Globalization;
using Microsoft.Extensions.Options;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Common;
using Paseto.Auth.Domain.Email;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Application.Email;

/// <summary>
/// Queues the mails of the account flows into the outbox (<see cref="IMailOutbox"/>), so each
/// commits with the change it belongs to. Two kinds: mails a person asks for (a verification,
/// a reset, an email-change confirmation), capped per recipient and hour so the service cannot
/// be used to flood a mailbox; and notices of what happened to the account, which are never
/// capped, so a flood of requests cannot hide a notice.
/// </summary>
public sealed class AccountMail(IMailOutbox queue, IThrottle throttle, IOptions<AuthOptions> options)
{
    /// <summary>
    /// Takes one unit of the recipient's hourly budget of requested mails; false when it is spent.
    /// Keyed on the normalised address whether or not it has an account: the same work either way.
    /// </summary>
    public async Task<bool> TryTakeRecipientBudgetAsync(string address, CancellationToken cancellationToken)
    {
        var attempt = await throttle.TryTakeAsync(
            [ThrottleLimit.Hourly(ThrottleKeys.MailTo(User.Normalize(address)), options.Value.Email.MailsPerRecipientPerHour)], cancellationToken);
        return attempt.Taken;
    }

    /// <summary>
    /// Queues what proves an address: the confirmation of a pending email change to the new
    /// address, otherwise a verification of the current one; nothing when both are settled or the
    /// recipient's budget is spent. Returns whether a mail was queued.
    /// </summary>
    public async Task<bool> QueueVerificationAsync(User user, ClientInfo? client, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (recipient, kind, purpose) = user.PendingEmail is { } pending
            ? (pending, MailKinds.ConfirmEmailChange, EmailTokenPurposes.ChangeEmail)
            : (user.Email, MailKinds.VerifyEmail, EmailTokenPurposes.VerifyEmail);
        if ((user.PendingEmail is null && user.EmailVerified) || !await TryTakeRecipientBudgetAsync(recipient, cancellationToken))
        {
            return false;
        }

        queue.Enqueue(user.Id, recipient, kind, purpose, Values(user, now, client));
        return true;
    }

    /// <summary>
    /// Queues a requested mail with a link for an address whose budget was taken. Without a user
    /// (a reset asked for an address no account has) the row is written all the same, so the
    /// request costs what it costs for an account, and the sender drops it unsent: a link needs an
    /// account to mint its token for.
    /// </summary>
    public void QueueRequested(User? user, string recipient, string kind, string tokenPurpose, DateTimeOffset now, ClientInfo? client) =>
        queue.Enqueue(user?.Id, recipient, kind, tokenPurpose, Values(user, now, client));

    /// <summary>
    /// Queues a notice to the account's current address: when, from which address and user agent
    /// (as the security event records them), and what to do if it was not the owner.
    /// </summary>
    public void QueueNotice(User user, string kind, DateTimeOffset at, ClientInfo? client, string? tokenPurpose = null, params (string Key, string? Value)[] extra)
    {
        var values = Values(user, at, client);
        foreach (var (key, value) in extra)
        {
            values[key] = value;
        }

        queue.Enqueue(user.Id, user.Email, kind, tokenPurpose, values);
    }

    private static Dictionary<string, string?> Values(User? user, DateTimeOffset at, ClientInfo? client) => new(StringComparer.Ordinal)
    {
        ["username"] = user?.Username ?? string.Empty,
        ["firstname"] = user?.Firstname ?? string.Empty,
        ["at"] = at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
        ["ip"] = client?.Ip,
        ["user_agent"] = client?.UserAgent,
    };
}
