using System.Text.Json;
using FluentValidation;
using Mediator;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Common;
using Paseto.Auth.Application.Email;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Application.SecondFactor;
using Paseto.Auth.Application.SecurityEvents;
using Paseto.Auth.Domain.Email;
using Paseto.Auth.Domain.Passkeys;
using Paseto.Auth.Domain.SecurityEvents;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Application.Passkeys;

/// <param name="Name">What the owner calls the passkey; a default when none.</param>
/// <param name="Credential">The browser's <c>PublicKeyCredential.toJSON()</c> of the registration.</param>
public sealed record RegisterPasskeyCommand(CallerIdentity Caller, Guid ChallengeId, string? Name, JsonElement Credential) : ICommand<PasskeyAdded>;

public sealed class RegisterPasskeyCommandValidator : AbstractValidator<RegisterPasskeyCommand>
{
    public RegisterPasskeyCommandValidator()
    {
        RuleFor(c => c.ChallengeId).NotEmpty().WithMessage("The challenge_id is required.");
        RuleFor(c => c.Name).PasskeyName();
        RuleFor(c => c.Credential).PasskeyCredential();
    }
}

/// <summary>
/// Finishes adding a passkey: consumes the caller's registration challenge (once, whatever
/// arrives in parallel), verifies the authenticator's answer against it, and stores the
/// credential. The first passkey of an account without a factor turns the second factor on and
/// issues the recovery codes (DESIGN §9); every passkey is recorded and mailed to the owner. The
/// user's row changes with it, for whatever caches the account.
/// </summary>
public sealed class RegisterPasskeyCommandHandler(
    IUserRepository users,
    IPasskeyRepository passkeys,
    ISecondFactorRepository factors,
    IPasskeyCeremonies ceremonies,
    ISecurityEventRepository events,
    AccountMail mail,
    IUnitOfWork unitOfWork,
    TimeProvider time) : ICommandHandler<RegisterPasskeyCommand, PasskeyAdded>
{
    /// <summary>The name of a passkey its owner did not name.</summary>
    public const string DefaultName = "Passkey";

    public async ValueTask<PasskeyAdded> Handle(RegisterPasskeyCommand command, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var challenge = await passkeys.TryConsumeChallengeAsync(command.ChallengeId, [PasskeyPurposes.Registration], command.Caller.UserId, now, cancellationToken)
            ?? throw new PasskeyException(PasskeyFailure.ChallengeInvalid);
        var user = await users.FindByIdAsync(command.Caller.UserId, cancellationToken)
            ?? throw new InvalidCredentialsException();
        var credential = await ceremonies.VerifyRegistrationAsync(challenge.Options, command.Credential, cancellationToken);
        if (await passkeys.CredentialIdTakenAsync(credential.CredentialId, cancellationToken))
        {
            throw new PasskeyException(PasskeyFailure.CredentialTaken);
        }

        var name = string.IsNullOrWhiteSpace(command.Name) ? DefaultName : command.Name.Trim();
        var passkey = Passkey.Register(
            user.Id, credential.CredentialId, credential.PublicKey, credential.SignCount, name, credential.Aaguid,
            credential.Transports, credential.BackupEligible, credential.BackedUp, now);
        IReadOnlyList<string>? recoveryCodes = null;
        await unitOfWork.InTransactionAsync(async ct =>
        {
            // Decided under the user's row lock from what is stored: of two first passkeys added
            // in parallel only one is the first factor, so only one answer shows recovery codes.
            await users.LockAndRefreshAsync(user, ct);
            var firstFactor = await factors.CountFactorsAsync(user.Id, ct) == 0;
            passkeys.Add(passkey);
            var client = command.Caller.Client;
            if (firstFactor)
            {
                var (codes, hashes) = RecoveryCodes.Create(user.Id);
                await factors.ReplaceRecoveryCodesAsync(user.Id, hashes, now, ct);
                recoveryCodes = codes;
                events.Add(SecurityEventFactory.Create(user.Id, SecurityEventTypes.MfaEnabled, now, client, command.Caller.SessionId, ("method", AuthMethods.Passkey)));
            }

            // Also when a factor was on already: the row changes with every factor change.
            user.SetMfaEnabled(true, now);
            events.Add(SecurityEventFactory.Create(user.Id, SecurityEventTypes.PasskeyAdded, now, client, command.Caller.SessionId, ("passkey_id", passkey.Id), ("name", name)));
            mail.QueueNotice(user, MailKinds.PasskeyAdded, now, client, null, ("passkey_name", name));
            await unitOfWork.SaveChangesAsync(ct);
            return user.Id;
        }, cancellationToken);
        return new PasskeyAdded(passkey.Id, passkey.Name, passkey.CreatedAt, passkey.LastUsedAt, recoveryCodes);
    }
}

/// <summary>The shape rules of the passkey fields.</summary>
public static class PasskeyRules
{
    /// <summary>A passkey's name: printable, at most <see cref="Passkey.NameMaxLength"/> characters.</summary>
    public static IRuleBuilderOptions<T, string?> PasskeyName<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(n => n is null || TextRules.CountCharacters(n) <= Passkey.NameMaxLength).WithMessage($"The name must be at most {Passkey.NameMaxLength} characters.")
            .Must(n => n is null || TextRules.IsPrintable(n)).WithMessage("The name must not contain control characters.");

    /// <summary>A <c>credential</c>: a JSON object (what is in it is checked by the ceremony).</summary>
    public static IRuleBuilderOptions<T, JsonElement> PasskeyCredential<T>(this IRuleBuilder<T, JsonElement> rule) =>
        rule.Must(c => c.ValueKind == JsonValueKind.Object).WithMessage("The credential must be the JSON object PublicKeyCredential.toJSON() gives.");
}
