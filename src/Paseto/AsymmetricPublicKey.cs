using System.Diagnostics.CodeAnalysis;
using Geralt;

namespace Paseto.Auth.Paseto;

/// <summary>An Ed25519 public key for verifying <c>v4.public</c> tokens, read and written as a <c>k4.public.</c> PASERK.</summary>
public sealed class AsymmetricPublicKey
{
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

    /// <exception cref="ArgumentException">The key is not exactly <see cref="Size"/> bytes.</exception>
    public static AsymmetricPublicKey FromBytes(ReadOnlySpan<byte> key)
    {
        if (key.Length != Size)
        {
            throw new ArgumentException($"A k4.public key is exactly {Size} bytes.", nameof(key));
        }

        return new AsymmetricPublicKey(key.ToArray());
    }

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

    /// <exception cref="FormatException">Not a valid <c>k4.public.</c> PASERK.</exception>
    public static AsymmetricPublicKey ParsePaserk(string paserk)
    {
        ArgumentNullException.ThrowIfNull(paserk);
        return TryParsePaserk(paserk, out var key) ? key : throw new FormatException("The value is not a valid k4.public PASERK.");
    }

    public byte[] ToBytes() => (byte[])_key.Clone();

    public string ToPaserk() => Paserk.Encode(Paserk.PublicPrefix, _key);

    public override string ToString() => Id;
}
