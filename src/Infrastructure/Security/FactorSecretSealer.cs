using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Geralt;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Paseto;

namespace Paseto.Auth.Infrastructure.Security;

/// <summary>
/// Seals second-factor secrets with XChaCha20-Poly1305 (libsodium's, through Geralt) under the
/// keys of <c>Auth:Mfa:Keys</c>: key 0 seals, every key opens what it sealed, found by its
/// PASERK id stored with the ciphertext. The associated data binds a ciphertext to its user and
/// factor, so a sealed secret moved to another row does not open. A copy of the database alone
/// holds no secret: the keys are in the configuration only.
/// </summary>
internal sealed partial class FactorSecretSealer : IFactorSecretSealer
{
    private const int NonceSize = XChaCha20Poly1305.NonceSize;
    private const int TagSize = XChaCha20Poly1305.TagSize;
    private static readonly byte[] _context = Encoding.ASCII.GetBytes("paseto-auth:mfa-secret:v1");

    private readonly (string Id, byte[] Key)[] _keys;

    public FactorSecretSealer(IReadOnlyList<SymmetricKey> keys)
    {
        if (keys.Count == 0)
        {
            throw new ArgumentException("At least one key is needed.", nameof(keys));
        }

        _keys = [.. keys.Select(k => (k.Id, k.ToBytes()))];
    }

    /// <summary>
    /// A key for another use of the second-factor key 0 (HMAC-SHA256 of <paramref name="purpose"/>
    /// under it), so a derived key tells nothing of the sealing key or of another purpose's key.
    /// </summary>
    public byte[] DeriveKey(string purpose) => HMACSHA256.HashData(_keys[0].Key, Encoding.UTF8.GetBytes("paseto-auth:derived:" + purpose));

    /// <summary>The id of the key that seals.</summary>
    public string CurrentKeyId => _keys[0].Id;

    public SealedSecret Seal(ReadOnlySpan<byte> secret, int userId, Guid factorId)
    {
        var output = new byte[NonceSize + secret.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        XChaCha20Poly1305.Encrypt(output.AsSpan(NonceSize), secret, nonce, _keys[0].Key, AssociatedData(userId, factorId));
        return new SealedSecret(output, _keys[0].Id);
    }

    public OpenedSecret Open(SealedSecret sealedSecret, int userId, Guid factorId)
    {
        ArgumentNullException.ThrowIfNull(sealedSecret);
        var index = Array.FindIndex(_keys, k => string.Equals(k.Id, sealedSecret.KeyId, StringComparison.Ordinal));
        if (index < 0)
        {
            // Never the key itself: its id is safe to log and tells the operator which key to put back.
            throw new CryptographicException($"The second-factor key {sealedSecret.KeyId} is not configured (Auth:Mfa:Keys).");
        }

        var sealedBytes = sealedSecret.Ciphertext;
        if (sealedBytes.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("The sealed secret is too short.");
        }

        var secret = new byte[sealedBytes.Length - NonceSize - TagSize];
        XChaCha20Poly1305.Decrypt(secret, sealedBytes.AsSpan(NonceSize), sealedBytes.AsSpan(0, NonceSize), _keys[index].Key, AssociatedData(userId, factorId));
        return new OpenedSecret(secret, index == 0 ? null : Seal(secret, userId, factorId));
    }

    private static byte[] AssociatedData(int userId, Guid factorId)
    {
        var data = new byte[_context.Length + sizeof(int) + 16];
        _context.CopyTo(data, 0);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(_context.Length), userId);
        factorId.TryWriteBytes(data.AsSpan(_context.Length + sizeof(int)), bigEndian: true, out _);
        return data;
    }

    /// <summary>
    /// The sealer of the configured keys. Without any, Production refuses to start, naming the
    /// setting; other environments keep a generated key in a file (an ephemeral one would lock
    /// every enrolled user out at the next start) and say where.
    /// </summary>
    public static FactorSecretSealer Create(IConfiguration configuration, IHostEnvironment environment, ILogger logger)
    {
        var configured = configuration.GetSection("Auth:Mfa:Keys").GetChildren()
            .Select(c => (Index: c.Key, Value: c.Value?.Trim()))
            .Where(c => !string.IsNullOrEmpty(c.Value))
            .OrderBy(c => int.TryParse(c.Index, out var i) ? i : int.MaxValue)
            .ToList();
        if (configured.Count > 0)
        {
            return new FactorSecretSealer([.. configured.Select(c => SymmetricKey.TryParsePaserk(c.Value!, out var key)
                ? key
                : throw new ConfigurationException(
                    $"Auth:Mfa:Keys:{c.Index} (Auth__Mfa__Keys__{c.Index}) is not a valid k4.local PASERK key; 'generate-keys --purpose local' prints one."))]);
        }

        if (environment.IsProduction())
        {
            throw new ConfigurationException(
                "No second-factor key is configured: set Auth__Mfa__Keys__0 (Auth:Mfa:Keys:0) to a PASERK k4.local key; 'generate-keys --purpose local' prints one.");
        }

        var file = configuration["Auth:Mfa:DevelopmentKeyFile"] is { Length: > 0 } path
            ? path
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "Paseto.Auth", "mfa-key.paserk");
        return new FactorSecretSealer([KeptKey(file, environment.EnvironmentName, logger)]);
    }

    private static SymmetricKey KeptKey(string file, string environmentName, ILogger logger)
    {
        if (File.Exists(file) && SymmetricKey.TryParsePaserk(File.ReadAllText(file).Trim(), out var kept))
        {
            LogKeptKey(logger, environmentName, file);
            return kept;
        }

        var key = SymmetricKey.Generate();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        var fresh = file + ".new";
        var create = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Readable by its owner only, like a private SSH key.
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(fresh, create))
        {
            stream.Write(Encoding.ASCII.GetBytes(key.ToPaserk()));
        }

        // A rename, so two hosts starting at once both end with one key (the last) and never a half-written file.
        File.Move(fresh, file, overwrite: true);
        var winner = SymmetricKey.TryParsePaserk(File.ReadAllText(file).Trim(), out var written) ? written : key;
        LogKeptKey(logger, environmentName, file);
        return winner;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No second-factor key is configured (Auth:Mfa:Keys); the {Environment} environment uses the key kept in {File}. Set Auth__Mfa__Keys__0 outside development.")]
    private static partial void LogKeptKey(ILogger logger, string environment, string file);
}
