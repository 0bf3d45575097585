using Microsoft.Extensions.Options;

namespace Paseto.Auth.Application.Email;

/// <summary>The <c>Auth:Email</c> settings (DESIGN §8): verified addresses, recovery and the limits on both.</summary>
public sealed class EmailFlowOptions
{
    /// <summary>When true, a login of an unverified account with the right password answers 403 (<c>/problems/email-not-verified</c>).</summary>
    public bool RequireVerified { get; set; }

    /// <summary>How long a verification or email-change link works (also the link to cancel a change).</summary>
    public TimeSpan VerificationLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a password-reset link works.</summary>
    public TimeSpan ResetLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Verification mails one account may ask for per hour (resends, and the 403 of an unverified login).</summary>
    public int VerificationMailsPerHour { get; set; } = 5;

    /// <summary>Password-reset requests one client address may make per hour.</summary>
    public int ForgotPerAddressPerHour { get; set; } = 20;

    /// <summary>Password-reset requests for one (normalised) email per hour, from everywhere together.</summary>
    public int ForgotPerEmailPerHour { get; set; } = 5;

    /// <summary>
    /// Requested mails (verification, reset, email-change confirmation) one recipient gets per
    /// hour; past it the request still answers as usual but sends nothing. Notices of what
    /// happened to an account are never capped, so a flood of requests cannot hide one.
    /// </summary>
    public int MailsPerRecipientPerHour { get; set; } = 10;
}

/// <summary>Refuses to start with <c>Auth:Email</c> settings that would make links useless or turn a limit into a refusal of everyone.</summary>
public sealed class EmailFlowOptionsValidator : IValidateOptions<AuthOptions>
{
    private const string Section = AuthOptions.Section + ":Email";

    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var e = options.Email;
        var failures = new List<string>();
        if (e.VerificationLifetime <= TimeSpan.Zero || e.ResetLifetime <= TimeSpan.Zero)
        {
            failures.Add($"{Section}:VerificationLifetime and {Section}:ResetLifetime must be positive.");
        }

        foreach (var (setting, value) in new[]
        {
            (nameof(e.VerificationMailsPerHour), e.VerificationMailsPerHour),
            (nameof(e.ForgotPerAddressPerHour), e.ForgotPerAddressPerHour),
            (nameof(e.ForgotPerEmailPerHour), e.ForgotPerEmailPerHour),
            (nameof(e.MailsPerRecipientPerHour), e.MailsPerRecipientPerHour),
        })
        {
            if (value < 1)
            {
                failures.Add($"{Section}:{setting} must be at least 1.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
