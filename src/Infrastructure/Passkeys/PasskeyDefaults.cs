using System.Net;
using Microsoft.Extensions.Configuration;
using Paseto.Auth.Application.Passkeys;

namespace Paseto.Auth.Infrastructure.Passkeys;

/// <summary>
/// The defaults of <c>Auth:Passkeys</c> that depend on other settings. A browser takes only a
/// domain as relying party id and runs WebAuthn only in a secure context, which
/// <c>http://localhost</c> is and <c>http://127.0.0.1</c> is not for this purpose (an IP address
/// cannot be an RP id): so a loopback address, in <c>Email:PublicBaseUrl</c> or the addresses the
/// host listens on, stands for <c>localhost</c> at the same port.
/// </summary>
internal static class PasskeyDefaults
{
    /// <summary>Kestrel's address when none is configured.</summary>
    private const string KestrelDefault = "http://localhost:5000";

    public static void Apply(PasskeyOptions options, IConfiguration configuration)
    {
        var publicBase = Uri.TryCreate(configuration["Email:PublicBaseUrl"], UriKind.Absolute, out var b) && b.Scheme is "http" or "https" ? b : null;
        options.RelyingPartyId ??= publicBase is null ? null : HostOf(publicBase);
        if (options.Origins.Length > 0)
        {
            return;
        }

        var origins = new List<string>();
        if (publicBase is not null)
        {
            origins.Add(OriginOf(publicBase));
        }

        var rpId = options.EffectiveRelyingPartyId;
        if (rpId == "localhost")
        {
            // The loopback addresses the host listens on (run.sh's --urls, ASPNETCORE_URLS), as localhost.
            var listened = (configuration["urls"] ?? KestrelDefault).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var url in listened)
            {
                if (Uri.TryCreate(Wildcard(url), UriKind.Absolute, out var u) && u.Scheme is "http" or "https" && HostOf(u) == "localhost")
                {
                    origins.Add(OriginOf(u));
                }
            }
        }

        options.Origins = [.. origins.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The host as an RP id: a loopback address reads as <c>localhost</c>.</summary>
    private static string HostOf(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip)) ? "localhost" : uri.IdnHost;

    private static string OriginOf(Uri uri)
    {
        var host = HostOf(uri);
        return uri.IsDefaultPort ? $"{uri.Scheme}://{host}" : $"{uri.Scheme}://{host}:{uri.Port}";
    }

    /// <summary>A listen address on every interface (<c>+</c>, <c>*</c>, <c>0.0.0.0</c>, <c>[::]</c>) is reachable as localhost too.</summary>
    private static string Wildcard(string url) =>
        url.Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://*", "://localhost", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
            .Replace("://[::]", "://localhost", StringComparison.Ordinal);
}
