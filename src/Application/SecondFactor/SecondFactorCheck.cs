using Microsoft.Extensions.Options;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Common;
using Paseto.Auth.Application.Email;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Application.SecurityEvents;
using Paseto.Auth.Domain.Email;
using Paseto.Auth.Domain.SecurityEvents;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Application.SecondFactor;

/// <summary>
/// What a request carries as its second factor (DESIGN §9, §11): a TOTP <c>code</c>, a
/// <c>recovery_code</c>, or an <c>assertion</c> of one of the account's passkeys.
/// </summary>
public sealed record SecondFactorProof(string? Code, string? RecoveryCode, PasskeyProof? Assertion = null)
{
    public static readonly SecondFactorProof None = new(null, null);

    public bool IsEmpty => string.IsNullOrEmpty(Code) && string.IsNullOrEmpty(RecoveryCode) && Assertion is null;
}

/// <summary>A fresh passkey assertion for a step-up: the browser's answer to the options of <c>POST /v1/users/me/passkeys/verification-options</c>.</summary>
public sealed record PasskeyProof(Guid ChallengeId, System.Text.Json.JsonElement Credential);

/// <summary>
/// Checks a second factor wherever one is asked for (login, step-up, password reset). Every
/// check first takes a unit of the account's hourly budget of wrong codes
/// (<c>Auth:Mfa:FailuresPerHour</c>), reserved before the code is looked at and given back when
/// it is right (<see cref="IThrottle"/>), so parallel guesses get no more checks than the same
/// guesses one by one, and no number of <c>mfa_token</c>s buys more. A TOTP code counts only for
/// a time step after the last one used, recorded by a conditional update: of a burst presenting
/// one code, one wins. A recovery code is spent the same way.
/// </summary>
public sealed class SecondFactorCheck(
    ISecondFactorRepository factors,
    IPasskeyRepository passkeys,
    IPasskeyCeremonies ceremonies,
    Passkeys.PasskeyVerifier passkeyVerifier,
    ITotp totp,
    IFactorSecretSealer sealer,
    IThrottle throttle,
    ISecurityEventRepository events,
    AccountMail mail,
    IUnitOfWork unitOfWork,
    IOptions<AuthOptions> options,
    TimeProvider time)
{
    /// <summary>
    /// The methods a login of this user may finish with: one for each kind of factor it has,
    /// and the recovery codes, which every factor comes with.
    /// </summary>
    public static IReadOnlyList<string> MethodsOf(TotpFactor? totpFactor, bool hasPasskey)
    {
        var methods = new List<string>(3);
        if (totpFactor is { IsConfirmed: true })
        {
            methods.Add(AuthMethods.Totp);
        }

        if (hasPasskey)
        {
            methods.Add(AuthMethods.Passkey);
        }

        methods.Add(AuthMethods.RecoveryCode);
        return methods;
    }

    /// <summary>
    /// Checks <paramref name="proof"/> against the user's factors and returns the method it used
    /// (<see cref="AuthMethods.Totp"/> or <see cref="AuthMethods.RecoveryCode"/>).
    /// </summary>
    /// <param name="operation">What the code is for, recorded with a failure (<c>login</c>, <c>change_password</c>, …).</param>
    /// <exception cref="SecondFactorException">No proof (<see cref="SecondFactorFailure.Missing"/>) or a wrong one.</exception>
    /// <exception cref="TooManyRequestsException">The account's budget of wrong codes is spent for now.</exception>
    public async Task<string> VerifyAsync(User user, SecondFactorProof proof, ClientInfo? client, Guid? sessionId, string operation, CancellationToken cancellationToken)
    {
        if (proof.IsEmpty)
        {
            throw new SecondFactorException(SecondFactorFailure.Missing);
        }

        if ((string.IsNullOrEmpty(proof.Code) ? 0 : 1) + (string.IsNullOrEmpty(proof.RecoveryCode) ? 0 : 1) + (proof.Assertion is null ? 0 : 1) > 1)
        {
            throw new RequestValidationException(new Dictionary<string, string[]>(StringComparer.Ordinal)
            {
                [nameof(proof.RecoveryCode)] = ["Send one of code, recovery_code or assertion."],
            });
        }

        if (proof.Assertion is { } assertion)
        {
            await VerifyPasskeyAsync(user, assertion, client, sessionId, operation, cancellationToken);
            return AuthMethods.Passkey;
        }

        var limit = options.Value.Mfa.FailuresPerHour;
        var key = ThrottleKeys.SecondFactorUser(user.Id);
        var attempt = await throttle.TryTakeAsync([ThrottleLimit.Hourly(key, limit)], cancellationToken);
        if (attempt.RetryAfter is { } retryAfter)
        {
            throw new TooManyRequestsException(retryAfter, "Too many wrong codes. Try again later.");
        }

        var now = time.GetUtcNow();
        var useTotp = !string.IsNullOrEmpty(proof.Code);
        var accepted = useTotp
            ? await TryTotpAsync(user.Id, proof.Code!, now, confirmed: true, cancellationToken)
            : RecoveryCodes.TryHash(user.Id, proof.RecoveryCode!) is { } hash && await factors.TryUseRecoveryCodeAsync(user.Id, hash, now, cancellationToken);
        var method = useTotp ? AuthMethods.Totp : AuthMethods.RecoveryCode;
        if (accepted)
        {
            await throttle.SucceededAsync(attempt, cancellationToken);
            if (!useTotp)
            {
                var left = await factors.CountUnusedRecoveryCodesAsync(user.Id, cancellationToken);
                events.Add(SecurityEventFactory.Create(user.Id, SecurityEventTypes.RecoveryCodeUsed, now, client, sessionId, ("operation", operation), ("left", left)));
                mail.QueueNotice(user, MailKinds.RecoveryCodeUsed, now, client, null, ("left", left.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                await unitOfWork.SaveChangesAsync(cancellationToken);
            }

            return method;
        }

        events.Add(SecurityEventFactory.Create(user.Id, SecurityEventTypes.MfaCheckFailed, now, client, sessionId, ("operation", operation), ("method", method)));
        if (attempt.CountOf(key) == limit)
        {
            RecordFailureLimit(user, now, client, sessionId, "account_hourly_limit");
        }

        await unitOfWork.SaveChangesAsync(cancellationToken);
        throw new SecondFactorException(SecondFactorFailure.Wrong);
    }

    /// <summary>
    /// Checks a passkey assertion for a step-up: the challenge must be a step-up challenge of this
    /// user (consumed here, once), the passkey one of theirs. Not counted on the budget of wrong
    /// codes: an assertion cannot be guessed, and a refused one is recorded.
    /// </summary>
    private async Task VerifyPasskeyAsync(User user, PasskeyProof proof, ClientInfo? client, Guid? sessionId, string operation, CancellationToken cancellationToken)
    {
        var presented = ceremonies.ReadAssertion(proof.Credential);
        var now = time.GetUtcNow();
        var challenge = await passkeys.TryConsumeChallengeAsync(proof.ChallengeId, [Domain.Passkeys.PasskeyPurposes.StepUp], user.Id, now, cancellationToken)
            ?? throw new PasskeyException(PasskeyFailure.ChallengeInvalid);
        var passkey = await passkeys.FindByCredentialIdAsync(presented.CredentialId, cancellationToken);
        try
        {
            if (passkey is null || passkey.UserId != user.Id)
            {
                throw new PasskeyException(PasskeyFailure.AssertionRefused);
            }

            await passkeyVerifier.VerifyAsync(challenge, presented, passkey, user, client, sessionId, now, cancellationToken);
        }
        catch (PasskeyException)
        {
            events.Add(SecurityEventFactory.Create(user.Id, SecurityEventTypes.MfaCheckFailed, now, client, sessionId, ("operation", operation), ("method", AuthMethods.Passkey)));
            await unitOfWork.SaveChangesAsync(cancellationToken);
            throw;
        }
    }

    /// <summary>
    /// The step-up for a risky change (ASVS 7.5.1): with a factor on, the request must also carry
    /// a current code or a recovery code; without one it changes nothing.
    /// </summary>
    public Task RequireForStepUpAsync(CallerIdentity caller, User user, SecondFactorProof proof, string operation, CancellationToken cancellationToken) =>
        user.MfaEnabled
            ? VerifyAsync(user, proof, caller.Client, caller.SessionId, operation, cancellationToken)
            : Task.CompletedTask;

    /// <summary>
    /// Whether <paramref name="code"/> is the user's TOTP code for a step not used yet, and if so
    /// records that step; <paramref name="confirmed"/> picks the confirmed factor or the pending one.
    /// A secret sealed under an older key is sealed again under the newest.
    /// </summary>
    public async Task<bool> TryTotpAsync(int userId, string code, DateTimeOffset now, bool confirmed, CancellationToken cancellationToken)
    {
        var factor = await factors.FindTotpAsync(userId, cancellationToken);
        if (factor is null || factor.IsConfirmed != confirmed)
        {
            return false;
        }

        var opened = sealer.Open(new SealedSecret(factor.SecretCiphertext, factor.KeyId), userId, factor.Id);
        if (opened.Resealed is { } resealed)
        {
            factor.Reseal(resealed.Ciphertext, resealed.KeyId);
            await unitOfWork.SaveChangesAsync(cancellationToken);
        }

        var step = totp.MatchStep(opened.Secret, code, now, factor.LastUsedStep);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(opened.Secret);
        return step is { } s && await factors.TryUseTotpStepAsync(factor.Id, s, cancellationToken);
    }

    /// <summary>Records that too many wrong codes were sent (an <c>mfa_token</c> spent, or the account's hourly budget), and tells the owner.</summary>
    public void RecordFailureLimit(User user, DateTimeOffset now, ClientInfo? client, Guid? sessionId, string reason)
    {
        events.Add(SecurityEventFactory.Create(user.Id, SecurityEventTypes.MfaFailureLimit, now, client, sessionId, ("reason", reason)));
        mail.QueueNotice(user, MailKinds.MfaFailureLimit, now, client);
    }
}
