using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Paseto.Auth.Verifier;

// In the namespace of AddAuthentication, as the ASP.NET Core handlers put theirs, so one using serves both.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Paseto.Auth scheme to an <see cref="AuthenticationBuilder"/>.</summary>
public static class PasetoAuthExtensions
{
    /// <summary>Adds the scheme under <see cref="PasetoAuthDefaults.AuthenticationScheme"/> (<c>Bearer</c>).</summary>
    /// <param name="builder">What <c>AddAuthentication()</c> returned.</param>
    /// <param name="configure">Sets at least <see cref="PasetoAuthOptions.Authority"/> and <see cref="PasetoAuthOptions.Audience"/>.</param>
    /// <returns>The builder.</returns>
    public static AuthenticationBuilder AddPasetoAuth(this AuthenticationBuilder builder, Action<PasetoAuthOptions> configure) =>
        builder.AddPasetoAuth(PasetoAuthDefaults.AuthenticationScheme, configure);

    /// <summary>Adds the scheme under a name of your choice.</summary>
    /// <param name="builder">What <c>AddAuthentication()</c> returned.</param>
    /// <param name="authenticationScheme">The scheme's name.</param>
    /// <param name="configure">Sets at least <see cref="PasetoAuthOptions.Authority"/> and <see cref="PasetoAuthOptions.Audience"/>.</param>
    /// <returns>The builder.</returns>
    public static AuthenticationBuilder AddPasetoAuth(this AuthenticationBuilder builder, string authenticationScheme, Action<PasetoAuthOptions> configure) =>
        builder.AddPasetoAuth(authenticationScheme, displayName: null, configure);

    /// <summary>Adds the scheme under a name and display name of your choice.</summary>
    /// <param name="builder">What <c>AddAuthentication()</c> returned.</param>
    /// <param name="authenticationScheme">The scheme's name.</param>
    /// <param name="displayName">The scheme's display name.</param>
    /// <param name="configure">Sets at least <see cref="PasetoAuthOptions.Authority"/> and <see cref="PasetoAuthOptions.Audience"/>.</param>
    /// <returns>The builder.</returns>
    public static AuthenticationBuilder AddPasetoAuth(this AuthenticationBuilder builder, string authenticationScheme, string? displayName, Action<PasetoAuthOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<PasetoAuthOptions>, PasetoAuthPostConfigureOptions>());
        // Built at start, so a setting that cannot work stops the app instead of failing every request.
        builder.Services.AddOptions<PasetoAuthOptions>(authenticationScheme).ValidateOnStart();
        return builder.AddScheme<PasetoAuthOptions, PasetoAuthHandler>(authenticationScheme, displayName, configure);
    }
}
