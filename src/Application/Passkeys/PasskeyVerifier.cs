using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Email;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Application.SecurityEvents;
using Paseto.Auth.Domain.Email;
using Paseto.Auth.Domain.Passkeys;
using Paseto.Auth.Domain.SecurityEvents;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Application.Passkeys;

/// <summary>
/// Verifies an assertion of a stored passkey for a challenge already consumed, wherever one is
/// presented (sign-in, second factor, step-up), and records its use. A counter that went
/// backwards is refused, recorded in the owner's history and mailed to the owner: it is what a
/// copied authenticator does. The new counter is written by a conditional update, so of two
/// assertions racing with the same counter only one counts.
/// </summary>
public sealed class PasskeyVerifier(
    IPasskeyCeremonies ceremonies,
    IPasskeyRepository passkeys,
    ISecurityEventRepository events,
    AccountMail mail,
    IUnitOfWork unitOfWork)
{
    /// <exception cref="PasskeyException">The assertion was refused (the refusal is committed first when it is recorded).</exception>
    public async Task VerifyAsync(
        PasskeyChallenge challenge, PresentedAssertion assertion, Passkey passkey, User owner, ClientInfo? client, Guid? sessionId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        ArgumentNullException.ThrowIfNull(passkey);
        ArgumentNullException.ThrowIfNull(owner);
        if (owner.PasskeyUserHandle is not { } handle)
        {
            throw new PasskeyException(PasskeyFailure.AssertionRefused);
        }

        VerifiedAssertion verified;
        try
        {
            verified = await ceremonies.VerifyAssertionAsync(challenge.Options, assertion, new StoredPasskey(passkey.PublicKey, passkey.SignCount, handle), cancellationToken);
        }
        catch (PasskeyException e) when (e.Failure == PasskeyFailure.CounterRegressed)
        {
            await RecordRegressionAsync(passkey, owner, client, sessionId, assertion.SignCount, now, cancellationToken);
            throw;
        }

        if (!await passkeys.TryRecordUseAsync(passkey.Id, verified.SignCount, verified.BackedUp, now, cancellationToken))
        {
            // Another assertion with a counter moved it first: this one's counter is not above it any more.
            await RecordRegressionAsync(passkey, owner, client, sessionId, verified.SignCount, now, cancellationToken);
            throw new PasskeyException(PasskeyFailure.CounterRegressed);
        }
    }

    private Task RecordRegressionAsync(Passkey passkey, User owner, ClientInfo? client, Guid? sessionId, long presented, DateTimeOffset now, CancellationToken cancellationToken)
    {
        events.Add(SecurityEventFactory.Create(
            owner.Id, SecurityEventTypes.PasskeyCounterRegressed, now, client, sessionId,
            ("passkey_id", passkey.Id), ("stored", passkey.SignCount), ("presented", presented)));
        mail.QueueNotice(owner, MailKinds.PasskeyCounterRegressed, now, client, null, ("passkey_name", passkey.Name));
        return unitOfWork.SaveChangesAsync(cancellationToken);
    }
}
