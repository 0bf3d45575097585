using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Paseto.Auth.Paseto;

namespace Paseto.Auth.Infrastructure.Tokens;

/// <summary>
/// Builds the key ring from configuration: <c>Paseto:Keys</c> (or the demo's <c>SECRET_KEY</c> as
/// key 0) as PASERK strings of the configured purpose: <c>k4.local</c>, or <c>k4.secret</c> with
/// retired keys optionally kept as <c>k4.public</c> (verify only). Without keys, Production
/// refuses to start; other environments make an ephemeral key and say so, since its tokens die
/// with the process.
/// </summary>
public static partial class KeyRingFactory
{
    public const string LegacySecretKey = "SECRET_KEY";

    private const string KeysSetting =
        "Keys are read from Paseto:Keys (Paseto__Keys__0, Paseto__Keys__1, …), newest first; SECRET_KEY, when set, is key 0. The generate-keys verb prints a new key.";

    public static PasetoPurpose ParsePurpose(string? purpose) => purpose?.Trim().ToLowerInvariant() switch
    {
        null or "" or "local" => PasetoPurpose.Local,
        "public" => PasetoPurpose.Public,
        _ => throw new ConfigurationException($"Paseto:Purpose (Paseto__Purpose) must be 'local' or 'public', not '{purpose}'."),
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
                throw new ConfigurationException(
                    "No token key is configured: set Paseto__Keys__0 (Paseto:Keys) or SECRET_KEY to a PASERK " +
                    $"{(purpose == PasetoPurpose.Local ? "k4.local" : "k4.secret")} key; the generate-keys verb prints one.");
            }

            LogEphemeralKey(logger, environment.EnvironmentName);
            return purpose == PasetoPurpose.Local
                ? KeyRing.ForLocal([SymmetricKey.Generate()])
                : KeyRing.ForPublic([AsymmetricSecretKey.Generate()]);
        }

        // One parser for configured keys: KeyRing.FromPaserks. Its messages give an entry's index,
        // never its value.
        KeyRing ring;
        try
        {
            ring = KeyRing.FromPaserks(keys);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            // ArgumentException: the same key twice (a k4.secret and its own k4.public).
            throw new ConfigurationException($"{e.Message} {KeysSetting}", e);
        }

        if (ring.Purpose != purpose)
        {
            throw new ConfigurationException(
                $"Key 0 is not a valid {(purpose == PasetoPurpose.Local ? "k4.local" : "k4.secret")} PASERK key for the configured purpose. {KeysSetting}");
        }

        // A public ring may keep retired keys as k4.public (verify only), but key 0 must sign.
        return ring.CanIssue
            ? ring
            : throw new ConfigurationException($"Key 0 is a k4.public key, which only verifies; key 0 must be the k4.secret key that signs. {KeysSetting}");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No token key is configured; using an ephemeral key for the {Environment} environment. Tokens stop working when the process stops.")]
    private static partial void LogEphemeralKey(ILogger logger, string environment);
}
