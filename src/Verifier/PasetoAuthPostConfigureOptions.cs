using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Paseto.Auth.Paseto;

namespace Paseto.Auth.Verifier;

/// <summary>
/// Checks a scheme's <see cref="PasetoAuthOptions"/> once, when the app starts, and
/// makes what it needs: the key set and, if asked for, the introspection client. A setting that
/// cannot work (no authority, plain HTTP to another host, no audience, half a credential) throws
/// here with the setting's name, rather than refusing every token later.
/// </summary>
/// <param name="loggers">Where the key set and introspection client log.</param>
public sealed class PasetoAuthPostConfigureOptions(ILoggerFactory loggers) : IPostConfigureOptions<PasetoAuthOptions>
{
    /// <inheritdoc />
    public void PostConfigure(string? name, PasetoAuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var authority = AuthorityOf(options);
        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            throw new InvalidOperationException("PasetoAuthOptions.Audience is required: set it to the service's Paseto:Audience.");
        }

        if (string.IsNullOrWhiteSpace(options.Issuer))
        {
            throw new InvalidOperationException("PasetoAuthOptions.Issuer may not be empty: set it to the service's Paseto:Issuer.");
        }

        if (options.KeyRefreshInterval <= TimeSpan.Zero || options.KeyFetchMinInterval <= TimeSpan.Zero || options.BackchannelTimeout <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("PasetoAuthOptions.KeyRefreshInterval, KeyFetchMinInterval and BackchannelTimeout must be positive.");
        }

        var time = options.TimeProvider ?? TimeProvider.System;
        var http = options.Backchannel ?? new HttpClient(options.BackchannelHttpHandler ?? new SocketsHttpHandler
        {
            // DNS changes of the service are seen within this time.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        })
        {
            Timeout = options.BackchannelTimeout,
        };
        options.Backchannel = http;
        http.DefaultRequestHeaders.UserAgent.ParseAdd("Paseto.Auth.Verifier/" + typeof(PasetoAuthHandler).Assembly.GetName().Version?.ToString(3));

        var validation = new PasetoValidationOptions { Issuer = options.Issuer, Audience = options.Audience };
        var keys = new PasetoKeySet(
            http,
            new Uri(authority, "v1/keys"),
            validation,
            options.KeyRefreshInterval,
            options.KeyFetchMinInterval,
            time,
            loggers.CreateLogger<PasetoKeySet>());

        IntrospectionClient? introspection = null;
        if (options.Introspection is { } credential)
        {
            if (string.IsNullOrEmpty(credential.ClientId) || string.IsNullOrEmpty(credential.ClientSecret))
            {
                throw new InvalidOperationException("PasetoAuthOptions.Introspection needs both ClientId and ClientSecret (the service's Introspection:Clients entry and the secret its generate-introspection-secret verb printed).");
            }

            if (credential.CacheDuration < TimeSpan.Zero)
            {
                throw new InvalidOperationException("PasetoAuthOptions.Introspection.CacheDuration may not be negative.");
            }

            introspection = new IntrospectionClient(
                http,
                new Uri(authority, "v1/token/introspect"),
                credential.ClientId,
                credential.ClientSecret,
                credential.CacheDuration,
                time,
                loggers.CreateLogger<IntrospectionClient>());
        }

        options.Validator = new PasetoTokenValidator(keys, introspection, options.Issuer, options.Audience, name ?? PasetoAuthDefaults.AuthenticationScheme);
    }

    /// <summary>
    /// The authority as a base address ending in <c>/</c>, so <c>v1/keys</c> resolves below any
    /// path it has. Plain HTTP only to a loopback address, or where <see cref="PasetoAuthOptions.RequireHttps"/>
    /// is off: the keys decide which tokens are genuine, and introspection carries a secret.
    /// </summary>
    internal static Uri AuthorityOf(PasetoAuthOptions options)
    {
        if (!Uri.TryCreate(options.Authority, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new InvalidOperationException("PasetoAuthOptions.Authority must be the service's absolute http(s) base address, e.g. https://auth.example, without query, fragment or credentials.");
        }

        if (uri.Scheme == Uri.UriSchemeHttp && options.RequireHttps && !uri.IsLoopback)
        {
            throw new InvalidOperationException(
                $"PasetoAuthOptions.Authority must use HTTPS unless it is a loopback address ({uri.Host} is not); set RequireHttps = false only on a network you trust.");
        }

        return uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
    }
}
