using System.Text.RegularExpressions;
using FluentValidation;
using Paseto.Auth.Application.Common;

namespace Paseto.Auth.Application.Users;

/// <summary>Username, email and first-name rules shared by signup and profile changes.</summary>
public static partial class UserRules
{
    public const int UsernameMinLength = 3;
    public const int UsernameMaxLength = 32;
    public const int EmailMaxLength = 254;
    public const int FirstnameMaxLength = 100;

    /// <summary>The characters a username may have (DESIGN §2).</summary>
    private const string UsernameCharacters = "[A-Za-z0-9_.-]+";

    /// <summary>The username rule as the OpenAPI document states it: ECMA-262, whose <c>$</c> is the end of the input.</summary>
    public const string UsernamePattern = "^" + UsernameCharacters + "$";

    public static IRuleBuilderOptions<T, string> Username<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotEmpty().WithMessage("A username is required.")
            .Length(UsernameMinLength, UsernameMaxLength).WithMessage($"The username must have {UsernameMinLength} to {UsernameMaxLength} characters.")
            .Matches(UsernameRegex()).WithMessage("The username may contain only letters A–Z, digits, '_', '.' and '-'.");

    public static IRuleBuilderOptions<T, string> Email<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotEmpty().WithMessage("An email is required.")
            .MaximumLength(EmailMaxLength).WithMessage($"The email must have at most {EmailMaxLength} characters.")
            .Must(BeAnEmail).WithMessage("The email is not a valid address.");

    public static IRuleBuilderOptions<T, string> Firstname<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotEmpty().WithMessage("A first name is required.")
            .MaximumLength(FirstnameMaxLength).WithMessage($"The first name must have at most {FirstnameMaxLength} characters.")
            .Must(NotContainControlCharacters).WithMessage("The first name must not contain control characters.");

    /// <summary>One '@', a non-empty local part, a dotted domain, no spaces or control characters.</summary>
    private static bool BeAnEmail(string? email)
    {
        if (string.IsNullOrEmpty(email) || !NotContainControlCharacters(email) || email.Any(char.IsWhiteSpace))
        {
            return false;
        }

        var at = email.LastIndexOf('@');
        if (at <= 0 || at != email.IndexOf('@', StringComparison.Ordinal) || at > 64)
        {
            return false;
        }

        var domain = email[(at + 1)..];
        return domain.Length >= 3 && domain.Contains('.', StringComparison.Ordinal)
            && !domain.StartsWith('.') && !domain.EndsWith('.') && !domain.Contains("..", StringComparison.Ordinal);
    }

    /// <summary>No control characters and no unpaired surrogates (which PostgreSQL cannot store).</summary>
    public static bool NotContainControlCharacters(string? value) => value is null || TextRules.IsPrintable(value);

    // \A and \z, not ^ and $: in .NET, $ also matches before a final "\n", which would let
    // "alice\n" through to be stored.
    [GeneratedRegex(@"\A" + UsernameCharacters + @"\z", RegexOptions.CultureInvariant)]
    private static partial Regex UsernameRegex();
}
