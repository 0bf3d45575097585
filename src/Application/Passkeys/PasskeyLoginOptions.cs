using FluentValidation;
using Mediator;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Common;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Application.Users;
using Paseto.Auth.Domain.Passkeys;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Application.Passkeys;

/// <param name="Username">A username or email whose passkeys to ask for; none asks for any discoverable passkey (autofill).</param>
/// <param name="MfaToken">Instead: the <c>mfa_token</c> of a password login to finish with a passkey.</param>
public sealed record PasskeyLoginOptionsCommand(string? Username, string? MfaToken) : ICommand<PasskeyCeremony>;

public sealed class PasskeyLoginOptionsCommandValidator : AbstractValidator<PasskeyLoginOptionsCommand>
{
    public PasskeyLoginOptionsCommandValidator()
    {
        RuleFor(c => c.Username).MaximumLength(UserRules.EmailMaxLength).WithMessage("The username is too long.")
            .Must(u => u is null || TextRules.IsPrintable(u)).WithMessage("The username must not contain control characters.");
        RuleFor(c => c.MfaToken).MaximumLength(OpaqueToken.EncodedLength).WithMessage("The mfa_token is not one this service issues.");
        RuleFor(c => c.MfaToken).Must((c, t) => string.IsNullOrEmpty(t) || string.IsNullOrEmpty(c.Username))
            .WithMessage("Send a username or an mfa_token, not both.");
    }
}

/// <summary>
/// Starts a passkey sign-in. Without a username the options list no credential, so the browser
/// offers every passkey it has for the service (discoverable credentials, autofill through
/// conditional mediation); with one, they list that account's passkeys. A name no account has,
/// or an account without passkeys, gets decoy ids derived from the name under a server key:
/// the same shape, the same ids each time, and the same statements, so the answer tells no one
/// who has an account. With an <c>mfa_token</c> they list the passkeys of that login's account,
/// and the challenge is bound to that login.
/// </summary>
public sealed class PasskeyLoginOptionsCommandHandler(
    IUserRepository users,
    IPasskeyRepository passkeys,
    ISecondFactorRepository factors,
    IPasskeyCeremonies ceremonies,
    PasskeyChallenges challenges,
    TimeProvider time) : ICommandHandler<PasskeyLoginOptionsCommand, PasskeyCeremony>
{
    public async ValueTask<PasskeyCeremony> Handle(PasskeyLoginOptionsCommand command, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!string.IsNullOrEmpty(command.MfaToken))
        {
            var mfa = OpaqueToken.TryHash(command.MfaToken, out var hash)
                ? await factors.FindChallengeAsync(hash, now, cancellationToken)
                : null;
            var owner = mfa is null ? null : await users.FindByIdAsync(mfa.UserId, cancellationToken);
            if (mfa is null || owner is not { IsActive: true, MfaEnabled: true } || owner.CredentialStamp != mfa.CredentialStamp)
            {
                throw new SecondFactorException(SecondFactorFailure.LoginExpired);
            }

            var own = await passkeys.ListAsync(owner.Id, cancellationToken);
            var mfaOptions = ceremonies.RequestOptions([.. own.Select(p => p.CredentialId)]);
            return await challenges.StartAsync(PasskeyPurposes.SecondFactor, owner.Id, mfa.Id, mfaOptions, now, cancellationToken);
        }

        IReadOnlyList<byte[]> allow = [];
        if (!string.IsNullOrWhiteSpace(command.Username))
        {
            var user = await users.FindByLoginAsync(command.Username, cancellationToken);
            // Listed for a stranger too (no passkey has user 0), so both cost the same queries.
            var listed = await passkeys.ListAsync(user?.Id ?? 0, cancellationToken);
            allow = listed.Count > 0
                ? [.. listed.Select(p => p.CredentialId)]
                : ceremonies.DecoyCredentialIds(User.Normalize(command.Username));
        }

        return await challenges.StartAsync(PasskeyPurposes.Login, null, null, ceremonies.RequestOptions(allow), now, cancellationToken);
    }
}
