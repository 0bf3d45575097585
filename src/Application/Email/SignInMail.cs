using Microsoft.Extensions.Options;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Common;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Application.SecurityEvents;
using Paseto.Auth.Domain.Email;
using Paseto.Auth.Domain.SecurityEvents;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Application.Email;

/// <summary>What a login with the right password does about email: the verified-address rule, and the notice of a new device.</summary>
public sealed class SignInMail(
    ISecurityEventRepository events,
    IThrottle throttle,
    AccountMail mail,
    IUnitOfWork unitOfWork,
    IOptions<AuthOptions> options)
{
    /// <summary>
    /// With <c>Auth:Email:RequireVerified</c>, refuses an unverified account (403,
    /// <c>/problems/email-not-verified</c>) and queues a fresh verification mail, within the
    /// account's hourly budget, so the person is never stuck without a link.
    /// </summary>
    public async Task RequireVerifiedAsync(User user, ClientInfo client, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!NeedsVerification(user))
        {
            return;
        }

        var budget = await throttle.TryTakeAsync(
            [ThrottleLimit.Hourly(ThrottleKeys.VerificationMails(user.Id), options.Value.Email.VerificationMailsPerHour)], cancellationToken);
        var mailed = budget.Taken && await mail.QueueVerificationAsync(user, client, now, cancellationToken);
        events.Add(SecurityEventFactory.Create(user.Id, SecurityEventTypes.LoginFailed, now, client, null, ("reason", "email_not_verified"), ("mailed", mailed)));
        await unitOfWork.SaveChangesAsync(cancellationToken);
        throw new ForbiddenException(
            "The account's email address is not verified yet. A new link is on its way to it (unless one was sent very recently).",
            ForbiddenReason.EmailNotVerified);
    }

    /// <summary>Whether <see cref="RequireVerifiedAsync"/> refuses the account.</summary>
    public bool NeedsVerification(User user) => options.Value.Email.RequireVerified && !user.EmailVerified;

    /// <summary>
    /// A login without a known device token (a device that never signed in, or forgot its token)
    /// is recorded and noticed to the owner; the very first login of an account (no device before,
    /// <paramref name="hadDevices"/> false) is no news. Joins the login's unit of work.
    /// </summary>
    public void NoticeNewDevice(User user, ClientInfo client, DateTimeOffset now, bool hadDevices)
    {
        if (!hadDevices)
        {
            return;
        }

        events.Add(SecurityEventFactory.Create(user.Id, SecurityEventTypes.NewDeviceSignIn, now, client, null));
        mail.QueueNotice(user, MailKinds.NewDeviceSignIn, now, client);
    }
}
