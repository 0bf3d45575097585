using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Paseto.Auth.Application.Auth;

/// <summary>
/// The <c>Introspection</c> settings (DESIGN §12): the resource servers that may ask
/// <c>POST /v1/token/introspect</c> about a token, and how often.
/// </summary>
public sealed class IntrospectionOptions
{
    public const string Section = "Introspection";

    /// <summary><c>Introspection:Clients:N:Id</c> and <c>…:Secret</c>; none by default, so the endpoint refuses everyone.</summary>
    public IntrospectionClientOptions[] Clients { get; set; } = [];

    /// <summary>Requests one client may make a minute (<c>Introspection:RequestsPerMinute</c>, default 6000); more are answered 429.</summary>
    public int RequestsPerMinute { get; set; } = 6000;
}

/// <summary>One resource server's credential.</summary>
public sealed class IntrospectionClientOptions
{
    /// <summary>The client id it sends as the HTTP Basic user name.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>
    /// The SHA-256 of its secret, 64 hex digits, as the <c>generate-introspection-secret</c> verb
    /// prints it (or <c>printf %s "$secret" | sha256sum</c>). The service never holds the secret
    /// itself: its configuration leaking does not hand out the credential.
    /// </summary>
    public string Secret { get; set; } = string.Empty;

    /// <summary>The SHA-256 of a presented secret, in the form <see cref="Secret"/> is configured.</summary>
    public static byte[] HashOf(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}

/// <summary>
/// Refuses to start with introspection clients that cannot work or are ambiguous: an empty id,
/// an id twice, a secret that is not a SHA-256 in hex (most likely the secret itself pasted in),
/// or a rate that turns the throttle off.
/// </summary>
public sealed class IntrospectionOptionsValidator : IValidateOptions<IntrospectionOptions>
{
    public ValidateOptionsResult Validate(string? name, IntrospectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.RequestsPerMinute < 1)
        {
            failures.Add($"{IntrospectionOptions.Section}:RequestsPerMinute must be at least 1.");
        }

        for (var i = 0; i < options.Clients.Length; i++)
        {
            var client = options.Clients[i];
            var setting = $"{IntrospectionOptions.Section}:Clients:{i}";
            if (string.IsNullOrWhiteSpace(client.Id) || client.Id.Contains(':', StringComparison.Ordinal) || client.Id.Any(char.IsControl))
            {
                failures.Add($"{setting}:Id must be a non-empty name without ':' or control characters.");
            }
            else if (options.Clients.Take(i).Any(c => string.Equals(c.Id, client.Id, StringComparison.Ordinal)))
            {
                failures.Add($"{setting}:Id '{client.Id}' is configured twice.");
            }

            if (client.Secret.Length != 64 || !client.Secret.All(char.IsAsciiHexDigit))
            {
                // The value is not repeated: it may be the secret itself, pasted in by mistake.
                failures.Add($"{setting}:Secret must be the secret's SHA-256 as 64 hex digits, as the generate-introspection-secret verb prints it.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
