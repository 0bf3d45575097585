using System.Text.Json;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.Options;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Auth;
using Paseto.Auth.Application.Common;
using Paseto.Auth.Application.Email;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Application.SecurityEvents;
using Paseto.Auth.Domain.Passkeys;
using Paseto.Auth.Domain.SecurityEvents;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Application.Passkeys;

/// <param name="Credential">The browser's <c>PublicKeyCredential.toJSON()</c> of the assertion.</param>
/// <param name="DeviceToken">The device token an earlier login on this device returned, as at a password login.</param>
public sealed record PasskeyLoginCommand(Guid ChallengeId, JsonElement Credential, string? DeviceToken, ClientInfo Client) : ICommand<TokenResponse>;

public sealed class PasskeyLoginCommandValidator : AbstractValidator<PasskeyLoginCommand>
{
    public PasskeyLoginCommandValidator()
    {
        RuleFor(c => c.ChallengeId).NotEmpty().WithMessage("The challenge_id is required.");
        RuleFor(c => c.Credential).PasskeyCredential();
    }
}

/// <summary>
/// Signs in with a passkey: a full login (user verification is required, so the passkey is
/// something held and something known or are), whose session starts exactly as a password
/// login's does (<see cref="LoginCompletion"/>: device, session limit, events) with
/// <c>passkey</c> among its methods, which satisfies a role that requires a second factor. With
/// a challenge started from an <c>mfa_token</c>, it finishes that password login instead.
/// </summary>
/// <remarks>
/// Failures are throttled as password logins are: reserved before anything is checked and given
/// back on success (<see cref="IThrottle"/>), on the client address's counter first and, once
/// the passkey names its account, on that account's hourly budget. The challenge is consumed
/// before the assertion is verified, so however many requests present it, one is checked.
/// </remarks>
public sealed class PasskeyLoginCommandHandler(
    IUserRepository users,
    IPasskeyRepository passkeys,
    ISecondFactorRepository factors,
    IPasskeyCeremonies ceremonies,
    PasskeyVerifier verifier,
    ISecurityEventRepository events,
    IUnitOfWork unitOfWork,
    IThrottle throttle,
    LoginCompletion completion,
    SignInMail signInMail,
    IOptions<AuthOptions> options,
    TimeProvider time) : ICommandHandler<PasskeyLoginCommand, TokenResponse>
{
    public async ValueTask<TokenResponse> Handle(PasskeyLoginCommand command, CancellationToken cancellationToken)
    {
        var assertion = ceremonies.ReadAssertion(command.Credential);
        var now = time.GetUtcNow();
        var fromAddress = await throttle.TryTakeAsync([ThrottleLimit.Delays(ThrottleKeys.PasskeyLoginAddress(command.Client.Ip))], cancellationToken);
        if (fromAddress.RetryAfter is { } retryAfter)
        {
            await FailAsync(null, SecurityEventTypes.LoginThrottled, command.Client, now, ("counter", "address"), cancellationToken);
            throw new TooManyRequestsException(retryAfter);
        }

        var challenge = await passkeys.TryConsumeChallengeAsync(command.ChallengeId, [PasskeyPurposes.Login, PasskeyPurposes.SecondFactor], null, now, cancellationToken)
            ?? throw new PasskeyException(PasskeyFailure.ChallengeInvalid);
        var passkey = await passkeys.FindByCredentialIdAsync(assertion.CredentialId, cancellationToken);
        var user = passkey is null ? null : await users.FindByIdAsync(passkey.UserId, cancellationToken);
        if (passkey is null || user is null || (challenge.UserId is { } bound && bound != user.Id))
        {
            // Unknown, or another account's passkey on a login bound to one: recorded in the bound
            // account's history when there is one, in no one's otherwise.
            var victim = challenge.UserId is { } id ? await users.FindByIdAsync(id, cancellationToken) : null;
            await FailAsync(victim, SecurityEventTypes.LoginFailed, command.Client, now, ("reason", passkey is null ? "unknown_passkey" : "foreign_passkey"), cancellationToken);
            throw new PasskeyException(PasskeyFailure.AssertionRefused);
        }

        var ofAccount = await throttle.TryTakeAsync([ThrottleLimit.Hourly(ThrottleKeys.PasskeyLoginUser(user.Id), options.Value.Throttling.AccountFailuresPerHour)], cancellationToken);
        if (ofAccount.RetryAfter is { } accountRetryAfter)
        {
            await FailAsync(user, SecurityEventTypes.LoginThrottled, command.Client, now, ("counter", "account"), cancellationToken);
            throw new TooManyRequestsException(accountRetryAfter);
        }

        try
        {
            await verifier.VerifyAsync(challenge, assertion, passkey, user, command.Client, null, now, cancellationToken);
        }
        catch (PasskeyException e)
        {
            await FailAsync(user, SecurityEventTypes.LoginFailed, command.Client, now, ("reason", e.Failure == PasskeyFailure.CounterRegressed ? "passkey_counter" : "passkey_refused"), cancellationToken);
            throw;
        }

        IReadOnlyList<string> methods = [AuthMethods.Passkey];
        if (challenge.MfaChallengeId is { } mfaId)
        {
            var mfa = await factors.FindChallengeByIdAsync(mfaId, now, cancellationToken);
            if (mfa is null || mfa.UserId != user.Id || mfa.CredentialStamp != user.CredentialStamp || !await factors.TryUseChallengeAsync(mfaId, now, cancellationToken))
            {
                throw new SecondFactorException(SecondFactorFailure.LoginExpired);
            }

            methods = [AuthMethods.Password, AuthMethods.Passkey];
        }

        if (!user.IsActive)
        {
            await FailAsync(user, SecurityEventTypes.LoginFailed, command.Client, now, ("reason", "account_inactive"), cancellationToken);
            throw new PasskeyException(PasskeyFailure.AssertionRefused);
        }

        await throttle.SucceededAsync(fromAddress, cancellationToken);
        await throttle.SucceededAsync(ofAccount, cancellationToken);
        await signInMail.RequireVerifiedAsync(user, command.Client, now, cancellationToken);
        var device = await completion.FindDeviceAsync(user.Id, command.DeviceToken, cancellationToken);
        return await completion.FinishAsync(user, device, command.DeviceToken, command.Client, methods, now, cancellationToken);
    }

    private Task FailAsync(User? user, string type, ClientInfo client, DateTimeOffset now, (string, object?) detail, CancellationToken cancellationToken)
    {
        events.Add(SecurityEventFactory.Create(user?.Id, type, now, client, null, ("method", AuthMethods.Passkey), detail));
        return unitOfWork.SaveChangesAsync(cancellationToken);
    }
}
