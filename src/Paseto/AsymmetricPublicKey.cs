using System.Diagnostics.CodeAnalysis;
using Geralt;

namespace Paseto.Auth.Paseto;

/// <summary>An Ed25519 public key for verifying <c>v4.public</c> tokens, read and written as a <c>k4.public.</c> PASERK.</summary>
public sealed class AsymmetricPublicKey
{
    /// <summary>The size of an Ed25519 public key in bytes (32).</summary>
    public const int Size = Ed25519.PublicKeySize;

    private readonly byte[] _key;

    private AsymmetricPublicKey(byte[] key)
    {
        _key = key;
        Id = Paserk.ComputeId(Paserk.PublicIdPrefix, Paserk.PublicPrefix, key);
    }

    /// <summary>The key's PASERK id (<c>k4.pid.…</c>), written as <c>kid</c> in token footers.</summary>
    public string Id { get; }

    internal ReadOnlySpan<byte> Material => _key;

    /// <summary>Reads a public key from its raw bytes (copied).</summary>
    /// <param name="key">The <see cref="Size"/> bytes of the Ed25519 public key.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentException">The key is not exactly <see cref="Size"/> bytes.</exception>
    public static AsymmetricPublicKey FromBytes(ReadOnlySpan<byte> key)
    {
        if (key.Length != Size)
        {
            throw new ArgumentException($"A k4.public key is exactly {Size} bytes.", nameof(key));
        }

        return new AsymmetricPublicKey(key.ToArray());
    }

    /// <summary>Reads a <c>k4.public.</c> PASERK: exactly that prefix and the canonical unpadded base64url of 32 bytes.</summary>
    /// <param name="paserk">The PASERK string.</param>
    /// <param name="key">The key, if the string is a valid <c>k4.public.</c> PASERK; otherwise null.</param>
    /// <returns>True if the string is a valid <c>k4.public.</c> PASERK.</returns>
    public static bool TryParsePaserk(ReadOnlySpan<char> paserk, [NotNullWhen(true)] out AsymmetricPublicKey? key)
    {
        var bytes = new byte[Size];
        if (!Paserk.TryDecode(paserk, Paserk.PublicPrefix, bytes))
        {
            key = null;
            return false;
        }

        key = new AsymmetricPublicKey(bytes);
        return true;
    }

    /// <summary>Reads a <c>k4.public.</c> PASERK, as <see cref="TryParsePaserk"/> does.</summary>
    /// <param name="paserk">The PASERK string.</param>
    /// <returns>The key.</returns>
    /// <exception cref="FormatException">Not a valid <c>k4.public.</c> PASERK.</exception>
    public static AsymmetricPublicKey ParsePaserk(string paserk)
    {
        ArgumentNullException.ThrowIfNull(paserk);
        return TryParsePaserk(paserk, out var key) ? key : throw new FormatException("The value is not a valid k4.public PASERK.");
    }

    /// <summary>A copy of the 32 key bytes.</summary>
    /// <returns>A new array each call.</returns>
    public byte[] ToBytes() => (byte[])_key.Clone();

    /// <summary>The key as a <c>k4.public.</c> PASERK, which may be published.</summary>
    /// <returns>The PASERK string.</returns>
    public string ToPaserk() => Paserk.Encode(Paserk.PublicPrefix, _key);

    /// <summary>The key id.</summary>
    /// <returns><see cref="Id"/>.</returns>
    public override string ToString() => Id;
}
