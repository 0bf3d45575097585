using System.Globalization;
using Microsoft.Extensions.Options;

namespace Paseto.Auth.Application.Passkeys;

/// <summary>The <c>Auth:Passkeys</c> settings (DESIGN §11).</summary>
public sealed class PasskeyOptions
{
    /// <summary>
    /// The WebAuthn relying party id: a domain (never an IP address) that every origin's host is
    /// or ends with. Passkeys are bound to it: changing it strands every registered passkey.
    /// Null means the host of <c>Email:PublicBaseUrl</c> (<c>localhost</c> for a loopback
    /// address), else <c>localhost</c>.
    /// </summary>
    public string? RelyingPartyId { get; set; }

    /// <summary>The name an authenticator shows for the service.</summary>
    public string RelyingPartyName { get; set; } = "Paseto.Auth";

    /// <summary>
    /// The origins (<c>scheme://host[:port]</c>) the browser may run the ceremonies at; a
    /// ceremony from anywhere else is refused. Empty means the origin of <c>Email:PublicBaseUrl</c>
    /// and the loopback addresses the host listens on, as <c>http://localhost:PORT</c>.
    /// </summary>
    public string[] Origins { get; set; } = [];

    /// <summary>How long a ceremony's challenge may wait for its answer.</summary>
    public TimeSpan ChallengeLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The relying party id in force (after the defaults are applied).</summary>
    public string EffectiveRelyingPartyId => RelyingPartyId ?? "localhost";
}

/// <summary>Refuses to start with <c>Auth:Passkeys</c> settings no browser would accept.</summary>
public sealed class PasskeyOptionsValidator : IValidateOptions<AuthOptions>
{
    private const string Section = AuthOptions.Section + ":Passkeys";

    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var p = options.Passkeys;
        var failures = new List<string>();
        var rpId = p.EffectiveRelyingPartyId;
        if (!IsDomain(rpId))
        {
            failures.Add($"{Section}:RelyingPartyId must be a domain name such as example.com or localhost, not an IP address or a URL (it is '{rpId}').");
        }

        foreach (var origin in p.Origins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")
                || uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment) || !string.IsNullOrEmpty(uri.UserInfo))
            {
                failures.Add($"{Section}:Origins must be absolute http(s) origins such as https://example.com or http://localhost:8000, without a path ('{origin}' is not).");
            }
            else if (!IsWithin(uri.IdnHost, rpId))
            {
                failures.Add($"{Section}:Origins: the host of '{origin}' is neither {rpId} nor a subdomain of it, so no browser would use the relying party id there.");
            }
        }

        if (p.Origins.Length == 0)
        {
            failures.Add($"{Section}:Origins is empty and no default applies: set it, or Email:PublicBaseUrl.");
        }

        if (p.ChallengeLifetime <= TimeSpan.Zero || p.ChallengeLifetime > TimeSpan.FromHours(1))
        {
            failures.Add($"{Section}:ChallengeLifetime must be positive and at most an hour.");
        }

        if (string.IsNullOrWhiteSpace(p.RelyingPartyName))
        {
            failures.Add($"{Section}:RelyingPartyName must be set.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>A DNS name (WebAuthn's RP id is a valid domain string): no IP address, no scheme, port or path.</summary>
    public static bool IsDomain(string value) =>
        Uri.CheckHostName(value) == UriHostNameType.Dns
        && !value.EndsWith('.')
        && string.Equals(value, value.ToLower(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    private static bool IsWithin(string host, string rpId) =>
        string.Equals(host, rpId, StringComparison.OrdinalIgnoreCase)
        || host.EndsWith("." + rpId, StringComparison.OrdinalIgnoreCase);
}
