using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Application.SecurityEvents;
using Paseto.Auth.Domain.Email;
using Paseto.Auth.Domain.SecurityEvents;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Application.Email;

/// <summary>
/// A new email for an account goes through the new address (DESIGN §8): it waits as
/// <c>pending_email</c> until the link mailed to it is used, and the old address hears of the
/// request with a link that cancels it. Everything joins the caller's unit of work.
/// </summary>
public sealed class EmailChangeRequest(IUserRepository users, ISecurityEventRepository events, AccountMail mail)
{
    public async Task RequestAsync(User user, string newEmail, CallerIdentity caller, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Checked now for a clear answer, and again by the unique index when the switch happens.
        if (await users.EmailTakenAsync(newEmail, user.Id, cancellationToken))
        {
            throw new ConflictException("The email is already registered.");
        }

        if (!await mail.TryTakeRecipientBudgetAsync(newEmail, cancellationToken))
        {
            throw new TooManyRequestsException(TimeSpan.FromHours(1), "Too many mails to this address. Try again later.");
        }

        var client = caller.Client;
        var (oldMasked, newMasked) = (SecurityEventFactory.MaskEmail(user.Email), SecurityEventFactory.MaskEmail(newEmail));
        events.Add(SecurityEventFactory.Create(user.Id, SecurityEventTypes.EmailChangeRequested, now, client, caller.SessionId,
            ("old", oldMasked), ("new", newMasked)));
        user.RequestEmailChange(newEmail, now);
        mail.QueueRequested(user, newEmail, MailKinds.ConfirmEmailChange, EmailTokenPurposes.ChangeEmail, now, client);
        mail.QueueNotice(user, MailKinds.EmailChangeRequested, now, client, EmailTokenPurposes.CancelEmailChange, ("new_email", newMasked));
    }
}
