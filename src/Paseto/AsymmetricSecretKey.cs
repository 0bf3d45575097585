using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Geralt;

namespace Paseto.Auth.Paseto;

/// <summary>
/// An Ed25519 secret key (libsodium's 64-byte form: seed || public key) for signing
/// <c>v4.public</c> tokens, read and written as a <c>k4.secret.</c> PASERK.
/// </summary>
public sealed class AsymmetricSecretKey
{
    public const int Size = Ed25519.PrivateKeySize;
    public const int SeedSize = Ed25519.SeedSize;

    private readonly byte[] _key;

    private AsymmetricSecretKey(byte[] key, byte[] publicKey)
    {
        _key = key;
        PublicKey = AsymmetricPublicKey.FromBytes(publicKey);
        Id = Paserk.ComputeId(Paserk.SecretIdPrefix, Paserk.SecretPrefix, key);
    }

    /// <summary>The matching public key, which other services use to verify our tokens.</summary>
    public AsymmetricPublicKey PublicKey { get; }

    /// <summary>The key's PASERK id (<c>k4.sid.…</c>). Tokens name the public key's id instead, so verifiers can find it.</summary>
    public string Id { get; }

    internal ReadOnlySpan<byte> Material => _key;

    public static AsymmetricSecretKey Generate()
    {
        var publicKey = new byte[Ed25519.PublicKeySize];
        var secretKey = new byte[Size];
        Ed25519.GenerateKeyPair(publicKey, secretKey);
        return new AsymmetricSecretKey(secretKey, publicKey);
    }

    /// <exception cref="ArgumentException">The seed is not exactly <see cref="SeedSize"/> bytes.</exception>
    public static AsymmetricSecretKey FromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedSize)
        {
            throw new ArgumentException($"An Ed25519 seed is exactly {SeedSize} bytes.", nameof(seed));
        }

        var publicKey = new byte[Ed25519.PublicKeySize];
        var secretKey = new byte[Size];
        Ed25519.GenerateKeyPair(publicKey, secretKey, seed);
        return new AsymmetricSecretKey(secretKey, publicKey);
    }

    /// <exception cref="ArgumentException">
    /// Not <see cref="Size"/> bytes, or the public half does not belong to the seed half.
    /// </exception>
    public static AsymmetricSecretKey FromBytes(ReadOnlySpan<byte> secretKey) =>
        TryCreate(secretKey, out var key)
            ? key
            : throw new ArgumentException($"A k4.secret key is a consistent {Size}-byte Ed25519 secret key.", nameof(secretKey));

    public static bool TryParsePaserk(ReadOnlySpan<char> paserk, [NotNullWhen(true)] out AsymmetricSecretKey? key)
    {
        Span<byte> bytes = stackalloc byte[Size];
        try
        {
            key = null;
            return Paserk.TryDecode(paserk, Paserk.SecretPrefix, bytes) && TryCreate(bytes, out key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <exception cref="FormatException">Not a valid <c>k4.secret.</c> PASERK. The message never repeats the input.</exception>
    public static AsymmetricSecretKey ParsePaserk(string paserk)
    {
        ArgumentNullException.ThrowIfNull(paserk);
        return TryParsePaserk(paserk, out var key) ? key : throw new FormatException("The value is not a valid k4.secret PASERK.");
    }

    /// <summary>The secret key as a <c>k4.secret.</c> PASERK. Treat the result as a secret.</summary>
    public string ToPaserk() => Paserk.Encode(Paserk.SecretPrefix, _key);

    /// <summary>The key id, never the key.</summary>
    public override string ToString() => Id;

    /// <summary>
    /// Rebuilds the key pair from the seed half and accepts the input only if it matches byte for byte,
    /// so a secret key whose stored public half was altered cannot produce signatures nobody can check.
    /// </summary>
    private static bool TryCreate(ReadOnlySpan<byte> secretKey, [NotNullWhen(true)] out AsymmetricSecretKey? key)
    {
        key = null;
        if (secretKey.Length != Size)
        {
            return false;
        }

        var publicKey = new byte[Ed25519.PublicKeySize];
        var rebuilt = new byte[Size];
        Ed25519.GenerateKeyPair(publicKey, rebuilt, secretKey[..SeedSize]);
        if (!ConstantTime.Equals(rebuilt, secretKey))
        {
            CryptographicOperations.ZeroMemory(rebuilt);
            return false;
        }

        key = new AsymmetricSecretKey(rebuilt, publicKey);
        return true;
    }
}
