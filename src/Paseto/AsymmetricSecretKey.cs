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
    /// <summary>The size of the secret key in bytes (64: the 32-byte seed, then the 32-byte public key).</summary>
    public const int Size = Ed25519.PrivateKeySize;

    /// <summary>The size of an Ed25519 seed in bytes (32).</summary>
    public const int SeedSize = Ed25519.SeedSize;

    private readonly byte[] _key;

    private AsymmetricSecretKey(byte[] key, byte[] publicKey)
    {
        _key = key;
        PublicKey = AsymmetricPublicKey.FromBytes(publicKey);
        Id = Paserk.ComputeId(Paserk.SecretIdPrefix, Paserk.SecretPrefix, key);
    }

    /// <summary>The matching public key, which verifiers use to check the tokens this key signs.</summary>
    public AsymmetricPublicKey PublicKey { get; }

    /// <summary>The key's PASERK id (<c>k4.sid.…</c>). Tokens name the public key's id instead, so verifiers can find it.</summary>
    public string Id { get; }

    internal ReadOnlySpan<byte> Material => _key;

    /// <summary>Makes a new key pair from libsodium's CSPRNG.</summary>
    /// <returns>The new secret key; its <see cref="PublicKey"/> is the other half.</returns>
    public static AsymmetricSecretKey Generate()
    {
        var publicKey = new byte[Ed25519.PublicKeySize];
        var secretKey = new byte[Size];
        Ed25519.GenerateKeyPair(publicKey, secretKey);
        return new AsymmetricSecretKey(secretKey, publicKey);
    }

    /// <summary>Derives the key pair from a 32-byte seed, deterministically.</summary>
    /// <param name="seed">The <see cref="SeedSize"/> seed bytes; treat them as a secret.</param>
    /// <returns>The secret key.</returns>
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

    /// <summary>Reads a secret key from its 64 bytes (seed || public key), checking that both halves belong together.</summary>
    /// <param name="secretKey">The <see cref="Size"/> bytes; treat them as a secret.</param>
    /// <returns>The secret key.</returns>
    /// <exception cref="ArgumentException">
    /// Not <see cref="Size"/> bytes, or the public half does not belong to the seed half.
    /// </exception>
    public static AsymmetricSecretKey FromBytes(ReadOnlySpan<byte> secretKey) =>
        TryCreate(secretKey, out var key)
            ? key
            : throw new ArgumentException($"A k4.secret key is a consistent {Size}-byte Ed25519 secret key.", nameof(secretKey));

    /// <summary>
    /// Reads a <c>k4.secret.</c> PASERK: exactly that prefix and the canonical unpadded base64url of
    /// 64 bytes whose public half belongs to the seed half. The decoded bytes are wiped.
    /// </summary>
    /// <param name="paserk">The PASERK string; treat it as a secret.</param>
    /// <param name="key">The key, if the string is a valid <c>k4.secret.</c> PASERK; otherwise null.</param>
    /// <returns>True if the string is a valid <c>k4.secret.</c> PASERK.</returns>
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

    /// <summary>Reads a <c>k4.secret.</c> PASERK, as <see cref="TryParsePaserk"/> does.</summary>
    /// <param name="paserk">The PASERK string; treat it as a secret.</param>
    /// <returns>The key.</returns>
    /// <exception cref="FormatException">Not a valid <c>k4.secret.</c> PASERK. The message never repeats the input.</exception>
    public static AsymmetricSecretKey ParsePaserk(string paserk)
    {
        ArgumentNullException.ThrowIfNull(paserk);
        return TryParsePaserk(paserk, out var key) ? key : throw new FormatException("The value is not a valid k4.secret PASERK.");
    }

    /// <summary>The secret key as a <c>k4.secret.</c> PASERK. Treat the result as a secret.</summary>
    /// <returns>The PASERK string.</returns>
    public string ToPaserk() => Paserk.Encode(Paserk.SecretPrefix, _key);

    /// <summary>The key id, never the key.</summary>
    /// <returns><see cref="Id"/>.</returns>
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
