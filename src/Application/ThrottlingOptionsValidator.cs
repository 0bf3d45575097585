using Microsoft.Extensions.Options;

namespace Paseto.Auth.Application;

/// <summary>
/// Refuses to start with <c>Auth:Throttling</c> settings that would turn a throttle off or make it
/// refuse everyone: a budget of 0 would answer every login or step-up 429, a delay of 0 would let
/// a source guess as fast as it can hash.
/// </summary>
public sealed class ThrottlingOptionsValidator : IValidateOptions<AuthOptions>
{
    private const string Section = AuthOptions.Section + ":Throttling";

    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var t = options.Throttling;
        var failures = new List<string>();
        if (t.FreeFailures < 0)
        {
            failures.Add($"{Section}:FreeFailures must be 0 or more.");
        }

        if (t.BaseDelay <= TimeSpan.Zero || t.MaxDelay < t.BaseDelay)
        {
            failures.Add($"{Section}:BaseDelay must be positive and {Section}:MaxDelay at least as long.");
        }

        if (t.ResetAfter <= TimeSpan.Zero)
        {
            failures.Add($"{Section}:ResetAfter must be positive.");
        }

        foreach (var (setting, value) in new[]
        {
            (nameof(t.AccountFailuresPerHour), t.AccountFailuresPerHour),
            (nameof(t.StepUpFailuresPerSession), t.StepUpFailuresPerSession),
            (nameof(t.StepUpFailuresPerHour), t.StepUpFailuresPerHour),
            (nameof(t.SignupsPerAddressPerHour), t.SignupsPerAddressPerHour),
            (nameof(t.SignupsPerHour), t.SignupsPerHour),
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
