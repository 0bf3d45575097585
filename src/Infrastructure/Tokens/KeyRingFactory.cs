using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Paseto.Auth.Infrastructure.Tokens.Paseto;

namespace Paseto.Auth.Infrastructure.Tokens;

/// <summary>
/// Builds the key ring from configuration: <c>Paseto:Keys</c> (or the demo's <c>SECRET_KEY</c> as
/// key 0) as PASERK strings of the configured purpose. Without keys, Production refuses to start;
/// other environments make an ephemeral key and say so, since its tokens die with the process.
/// </summary>
public static partial class KeyRingFactory
{
    public const string LegacySecretKey = "SECRET_KEY";

    public static PasetoPurpose ParsePurpose(string? purpose) => purpose?.Trim().ToLowerInvariant() switch
    {
        null or "" or "local" => PasetoPurpose.Local,
        "public" => PasetoPurpose.Public,
        _ => throw new InvalidOperationException($"Paseto:Purpose must be 'local' or 'public', not '{purpose}'."),
    };

    public static IReadOnlyList<string> ConfiguredKeys(IConfiguration configuration, PasetoOptions options)
    {
        var keys = new List<string>();
        if (configuration[LegacySecretKey] is { Length: > 0 } legacy)
        {
            keys.Add(legacy.Trim());
        }

        keys.AddRange(options.Keys.Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => k.Trim()).Where(k => !keys.Contains(k)));
        return keys;
    }

    public static KeyRing Create(IConfiguration configuration, PasetoOptions options, IHostEnvironment environment, ILogger logger)
    {
        var purpose = ParsePurpose(options.Purpose);
        var keys = ConfiguredKeys(configuration, options);
        if (keys.Count == 0)
        {
            if (environment.IsProduction())
            {
                throw new InvalidOperationException(
                    "No token key is configured: set Paseto:Keys (Paseto__Keys__0) or SECRET_KEY to a PASERK " +
                    $"{(purpose == PasetoPurpose.Local ? "k4.local" : "k4.secret")} key; 'generate-keys' prints one.");
            }

            LogEphemeralKey(logger, environment.EnvironmentName);
            return purpose == PasetoPurpose.Local
                ? KeyRing.ForLocal([SymmetricKey.Generate()])
                : KeyRing.ForPublic([AsymmetricSecretKey.Generate()]);
        }

        return purpose == PasetoPurpose.Local
            ? KeyRing.ForLocal(keys.Select((k, i) => SymmetricKey.TryParsePaserk(k, out var key)
                ? key
                : throw KeyError(i, "k4.local")))
            : KeyRing.ForPublic(keys.Select((k, i) => AsymmetricSecretKey.TryParsePaserk(k, out var key)
                ? key
                : throw KeyError(i, "k4.secret")));
    }

    // The message names the setting, never the value.
    private static InvalidOperationException KeyError(int index, string expected) =>
        new($"Token key {index} (Paseto:Keys:{index}{(index == 0 ? " or SECRET_KEY" : string.Empty)}) is not a valid {expected} PASERK key for the configured purpose.");

    [LoggerMessage(Level = LogLevel.Warning, Message = "No token key is configured; using an ephemeral key for the {Environment} environment. Tokens stop working when the process stops.")]
    private static partial void LogEphemeralKey(ILogger logger, string environment);
}
