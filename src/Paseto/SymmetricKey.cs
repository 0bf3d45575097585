using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Geralt;

namespace Paseto.Auth.Paseto;

/// <summary>A 256-bit key for <c>v4.local</c> tokens, read and written as a <c>k4.local.</c> PASERK.</summary>
public sealed class SymmetricKey
{
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

    public static SymmetricKey Generate()
    {
        var key = new byte[Size];
        SecureRandom.Fill(key);
        return new SymmetricKey(key);
    }

    /// <exception cref="ArgumentException">The key is not exactly <see cref="Size"/> bytes.</exception>
    public static SymmetricKey FromBytes(ReadOnlySpan<byte> key)
    {
        if (key.Length != Size)
        {
            throw new ArgumentException($"A k4.local key is exactly {Size} bytes.", nameof(key));
        }

        return new SymmetricKey(key.ToArray());
    }

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

    /// <exception cref="FormatException">Not a valid <c>k4.local.</c> PASERK. The message never repeats the input.</exception>
    public static SymmetricKey ParsePaserk(string paserk)
    {
        ArgumentNullException.ThrowIfNull(paserk);
        return TryParsePaserk(paserk, out var key) ? key : throw new FormatException("The value is not a valid k4.local PASERK.");
    }

    /// <summary>A copy of the 32 key bytes, for keying another primitive with it. Treat the result as a secret.</summary>
    public byte[] ToBytes() => (byte[])_key.Clone();

    /// <summary>The secret key as a <c>k4.local.</c> PASERK. Treat the result as a secret.</summary>
    public string ToPaserk() => Paserk.Encode(Paserk.LocalPrefix, _key);

    /// <summary>The key id, never the key.</summary>
    public override string ToString() => Id;
}
