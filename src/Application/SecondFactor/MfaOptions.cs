using Microsoft.Extensions.Options;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Application.SecondFactor;

/// <summary>The <c>Auth:Mfa</c> settings (DESIGN §9) the use cases read; the keys are Infrastructure's (<c>Auth:Mfa:Keys</c>).</summary>
public sealed class MfaOptions
{
    /// <summary>
    /// Roles that must use a second factor: until such a user has one, the endpoints that need the
    /// role answer 403 <c>/problems/mfa-enrollment-required</c>; then they need a session whose
    /// login used it. Null means the default, <c>admin</c>; blank entries are ignored, so one blank
    /// entry means none.
    /// </summary>
    public string[]? RequiredForRoles { get; set; }

    /// <summary>The issuer an authenticator app shows next to the account name.</summary>
    public string Issuer { get; set; } = "Paseto.Auth";

    /// <summary>How long an <c>mfa_token</c> lives.</summary>
    public TimeSpan ChallengeLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Codes one <c>mfa_token</c> may try; the last wrong one spends it.</summary>
    public int AttemptsPerChallenge { get; set; } = 5;

    /// <summary>
    /// Wrong codes (TOTP or recovery) an account takes per hour, from every login and step-up
    /// together, so minting new <c>mfa_token</c>s does not buy more guesses.
    /// </summary>
    public int FailuresPerHour { get; set; } = 10;

    /// <summary>The roles of <see cref="RequiredForRoles"/> in force.</summary>
    public IReadOnlyList<string> RequiredRoles =>
        RequiredForRoles is null ? [Roles.Admin] : [.. RequiredForRoles.Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r.Trim())];

    public bool IsRequiredFor(string role) => RequiredRoles.Contains(role, StringComparer.Ordinal);
}

/// <summary>Refuses to start with <c>Auth:Mfa</c> settings that would make the factor unusable.</summary>
public sealed class MfaOptionsValidator : IValidateOptions<AuthOptions>
{
    private const string Section = AuthOptions.Section + ":Mfa";

    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var m = options.Mfa;
        var failures = new List<string>();
        if (m.ChallengeLifetime <= TimeSpan.Zero)
        {
            failures.Add($"{Section}:ChallengeLifetime must be positive.");
        }

        if (m.AttemptsPerChallenge < 1 || m.FailuresPerHour < 1)
        {
            failures.Add($"{Section}:AttemptsPerChallenge and {Section}:FailuresPerHour must be at least 1.");
        }

        if (string.IsNullOrWhiteSpace(m.Issuer) || m.Issuer.Contains(':', StringComparison.Ordinal))
        {
            failures.Add($"{Section}:Issuer must be set and must not contain ':' (the otpauth URI separates issuer and account with it).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
