using System.Buffers.Text;
using Geralt;
using Paseto.Auth.Paseto;

namespace Paseto.Auth.Infrastructure.Security;

/// <summary>
/// A secret key kept out of the database (OWASP ASVS 2.4.5): the password is MACed with it
/// (keyed BLAKE2b-256) before Argon2id, so a stolen table cannot be attacked offline without it.
/// A hash names its pepper in the PHC <c>keyid</c> parameter: the first 8 bytes of the pepper's
/// PASERK <c>k4.lid</c>, the longest the format allows.
/// </summary>
internal sealed class Pepper
{
    public const int KeyIdLength = 8;
    private const int MacLength = 32;

    private readonly byte[] _key;

    private Pepper(SymmetricKey key)
    {
        _key = key.ToBytes();
        Lid = key.Id;
        var lidBytes = Base64Url.DecodeFromChars(key.Id.AsSpan("k4.lid.".Length));
        KeyId = Base64Url.EncodeToString(lidBytes.AsSpan(0, KeyIdLength)).Replace('-', '+').Replace('_', '/');
    }

    /// <summary>The pepper's PASERK id (<c>k4.lid.…</c>), safe to log.</summary>
    public string Lid { get; }

    /// <summary>The value of the PHC <c>keyid</c> parameter (standard B64 without padding).</summary>
    public string KeyId { get; }

    public static Pepper Parse(string paserk, int index) =>
        SymmetricKey.TryParsePaserk(paserk.Trim(), out var key)
            ? new Pepper(key)
            : throw new ConfigurationException($"Auth:Passwords:Peppers:{index} (Auth__Passwords__Peppers__{index}) is not a valid k4.local PASERK key; 'generate-keys --purpose local' prints one.");

    /// <summary>Writes the MAC of <paramref name="password"/> (UTF-8) into <paramref name="destination"/>.</summary>
    public void Mac(ReadOnlySpan<byte> password, Span<byte> destination) =>
        BLAKE2b.ComputeTag(destination[..MacLength], password, _key);

    public static int Length => MacLength;

    public override string ToString() => Lid;

}
