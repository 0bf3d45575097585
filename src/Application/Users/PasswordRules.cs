using System.Text;
using FluentValidation;
using Paseto.Auth.Application.Abstractions;

namespace Paseto.Auth.Application.Users;

/// <summary>
/// The password policy (DESIGN §5, NIST SP 800-63B): 12–128 characters counted as Unicode code
/// points after NFKC normalisation, and not the account's own username or email. No composition
/// rules: length is what makes a password strong.
/// </summary>
public static class PasswordRules
{
    public const int MinLength = 12;
    public const int MaxLength = 128;

    /// <summary>
    /// The longest password taken where one is presented rather than set (login, re-entered
    /// passwords): longer than any that can be set, so no policy is told, short enough that
    /// nobody makes the service hash megabytes.
    /// </summary>
    public const int PresentedMaxLength = 1024;

    public static IRuleBuilderOptions<T, string> Password<T>(this IRuleBuilder<T, string> rule, Func<T, IEnumerable<string?>> identifiers, IPasswordBlocklist blocklist) =>
        rule.NotEmpty().WithMessage("A password is required.")
            .Must(p => Length(p) >= MinLength).WithMessage($"The password must have at least {MinLength} characters.")
            .Must(p => Length(p) <= MaxLength).WithMessage($"The password must have at most {MaxLength} characters.")
            .Must((message, password) => !identifiers(message).Any(id => Matches(password, id)))
            .WithMessage("The password must not be the username or the email.")
            .Must(p => !blocklist.IsBlocked(p))
            .WithMessage("This password is too common or has appeared in a breach; choose another.");

    /// <summary>Whether the password is one of the account's identifiers (where the validator cannot know them, e.g. a reset by token).</summary>
    public static bool MatchesAny(string? password, IEnumerable<string?> identifiers) => identifiers.Any(id => Matches(password, id));

    public static string Normalize(string password) => password.Normalize(NormalizationForm.FormKC);

    private static int Length(string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            return 0;
        }

        // Cheap guard before normalising attacker-sized input.
        return password.Length > MaxLength * 4 ? int.MaxValue : Normalize(password).EnumerateRunes().Count();
    }

    private static bool Matches(string? password, string? identifier) =>
        !string.IsNullOrEmpty(password) && !string.IsNullOrWhiteSpace(identifier)
        && string.Equals(Normalize(password).Trim(), identifier.Trim(), StringComparison.OrdinalIgnoreCase);
}
