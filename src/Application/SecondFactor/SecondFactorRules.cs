using FluentValidation;
using Paseto.Auth.Application.Users;

namespace Paseto.Auth.Application.SecondFactor;

/// <summary>The shape rules of the fields that carry a second factor.</summary>
public static class SecondFactorRules
{
    /// <summary>A TOTP code: six ASCII digits.</summary>
    public static IRuleBuilderOptions<T, string?> TotpCode<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(c => c is null || (c.Length == 6 && c.All(char.IsAsciiDigit))).WithMessage("The code must be the 6 digits the authenticator app shows.");

    /// <summary>A recovery code as shown (groups, dashes), bounded in length; its characters are checked when it is tried.</summary>
    public static IRuleBuilderOptions<T, string?> RecoveryCode<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(RecoveryCodes.PresentedMaxLength).WithMessage("The recovery code is too long.");

    /// <summary>The <c>code</c> and <c>recovery_code</c> a command carries, under their own names.</summary>
    public static void SecondFactorProof<T>(this AbstractValidator<T> validator, Func<T, SecondFactorProof> proof)
    {
        validator.RuleFor(c => proof(c).Code).TotpCode().OverridePropertyName(nameof(SecondFactor.SecondFactorProof.Code));
        validator.RuleFor(c => proof(c).RecoveryCode).RecoveryCode().OverridePropertyName(nameof(SecondFactor.SecondFactorProof.RecoveryCode));
        validator.RuleFor(c => proof(c).Assertion)
            .Must(a => a is null || (a.ChallengeId != Guid.Empty && a.Credential.ValueKind == System.Text.Json.JsonValueKind.Object))
            .WithMessage("The assertion needs the challenge_id of verification options and the credential object PublicKeyCredential.toJSON() gives.")
            .OverridePropertyName(nameof(SecondFactor.SecondFactorProof.Assertion));
    }

    /// <summary>The password re-entered to manage a factor.</summary>
    public static IRuleBuilderOptions<T, string> CurrentPassword<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotEmpty().WithMessage("The password is required.")
            .MaximumLength(PasswordRules.PresentedMaxLength).WithMessage("The password is too long.");
}

/// <summary>The recovery codes of a new set, shown once.</summary>
public sealed record RecoveryCodeSet(IReadOnlyList<string> RecoveryCodes);
