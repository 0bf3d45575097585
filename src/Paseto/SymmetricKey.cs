using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Geralt;

namespace Paseto.Auth.Paseto;

/// <summary>A 256-bit key for <c>v4.local</c> tokens, read and written as a <c>k4.local.</c> PASERK.</summary>
public sealed class SymmetricKey
{
    /// <summary>The size of a <c>k4.local</c> key in bytes (32).</summary>
    public const int Size = 32;

    private readonly byte[] _key;

    private SymmetricKey(byte[] key)
    {
        _key = key;
        Id = Paserk.ComputeId(Paserk.LocalIdPrefix, Paserk.LocalPrefix, key);
    }

    /// <summary>The key's PASERK id (<c>k4.lid.…</c>), written as <c>kid</c> in token footers. Not secret.</summary>
    public string Id { get; }

    internal ReadOnlySpan<byte> Material => _key;

    /// <summary>Makes a new key from libsodium's CSPRNG.</summary>
    /// <returns>The new key.</returns>
    public static SymmetricKey Generate()
    {
        var key = new byte[Size];
        SecureRandom.Fill(key);
        return new SymmetricKey(key);
    }

    /// <summary>Reads a key from its raw bytes (copied).</summary>
    /// <param name="key">The <see cref="Size"/> key bytes; treat them as a secret.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentException">The key is not exactly <see cref="Size"/> bytes.</exception>
    public static SymmetricKey FromBytes(ReadOnlySpan<byte> key)
    {
        if (key.Length != Size)
        {
            throw new ArgumentException($"A k4.local key is exactly {Size} bytes.", nameof(key));
        }

        return new SymmetricKey(key.ToArray());
    }

    /// <summary>Reads a <c>k4.local.</c> PASERK: exactly that prefix and the canonical unpadded base64url of 32 bytes.</summary>
    /// <param name="paserk">The PASERK string; treat it as a secret.</param>
    /// <param name="key">The key, if the string is a valid <c>k4.local.</c> PASERK; otherwise null.</param>
    /// <returns>True if the string is a valid <c>k4.local.</c> PASERK.</returns>
    public static bool TryParsePaserk(ReadOnlySpan<char> paserk, [NotNullWhen(true)] out SymmetricKey? key)
    {
        var bytes = new byte[Size];
        if (!Paserk.TryDecode(paserk, Paserk.LocalPrefix, bytes))
        {
            CryptographicOperations.ZeroMemory(bytes);
            key = null;
            return false;
        }

        key = new SymmetricKey(bytes);
        return true;
    }

    /// <summary>Reads a <c>k4.local.</c> PASERK, as <see cref="TryParsePaserk"/> does.</summary>
    /// <param name="paserk">The PASERK string; treat it as a secret.</param>
    /// <returns>The key.</returns>
    /// <exception cref="FormatException">Not a valid <c>k4.local.</c> PASERK. The message never repeats the input.</exception>
    public static SymmetricKey ParsePaserk(string paserk)
    {
        ArgumentNullException.ThrowIfNull(paserk);
        return TryParsePaserk(paserk, out var key) ? key : throw new FormatException("The value is not a valid k4.local PASERK.");
    }

    /// <summary>A copy of the 32 key bytes, for keying another primitive with it. Treat the result as a secret.</summary>
    /// <returns>A new array each call.</returns>
    public byte[] ToBytes() => (byte[])_key.Clone();

    /// <summary>The secret key as a <c>k4.local.</c> PASERK. Treat the result as a secret.</summary>
    /// <returns>The PASERK string.</returns>
    public string ToPaserk() => Paserk.Encode(Paserk.LocalPrefix, _key);

    /// <summary>The key id, never the key.</summary>
    /// <returns><see cref="Id"/>.</returns>
    public override string ToString() => Id;
}
