using Microsoft.Extensions.Options;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Application;

/// <summary>
/// Refuses to start with <c>Auth</c> settings no deployment means: lifetimes and intervals that
/// are not positive, a session limit below one, an unknown policy or role, and, where a signup
/// secret is required (Production), none. The throttling settings have their own validator,
/// <see cref="ThrottlingOptionsValidator"/>, which runs first.
/// </summary>
/// <param name="signupSecretRequired">Whether a missing <c>Auth:RefererSecret</c> is an error (in Production).</param>
public sealed class AuthOptionsValidator(bool signupSecretRequired) : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.AccessTokenLifetime <= TimeSpan.Zero || options.RefreshTokenLifetime <= TimeSpan.Zero || options.SessionLifetime <= TimeSpan.Zero)
        {
            failures.Add("Auth:AccessTokenLifetime, Auth:RefreshTokenLifetime and Auth:SessionLifetime must be positive.");
        }

        if (options.Events.Retention <= TimeSpan.Zero || options.Sessions.KeepEndedFor < TimeSpan.Zero || options.Sessions.CleanupInterval <= TimeSpan.Zero)
        {
            failures.Add("Auth:Events:Retention and Auth:Sessions:CleanupInterval must be positive.");
        }

        if (options.Sessions.MaxActive < 1)
        {
            failures.Add("Auth:Sessions:MaxActive must be at least 1.");
        }

        if (options.Sessions.OnLimit is not (SessionLimitPolicy.RevokeOldest or SessionLimitPolicy.Reject))
        {
            failures.Add("Auth:Sessions:OnLimit must be 'revoke-oldest' or 'reject'.");
        }

        if (!options.SelfAssignableRoles.All(Roles.IsKnown))
        {
            failures.Add("Auth:SelfAssignableRoles may name only 'member' and 'admin'.");
        }

        if (signupSecretRequired && options.RefererSecret.Length == 0)
        {
            failures.Add("No signup secret is configured: set Auth:RefererSecret (REFERER_SECRET).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
