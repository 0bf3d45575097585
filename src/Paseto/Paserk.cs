using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Geralt;

namespace Paseto.Auth.Paseto;

/// <summary>PASERK k4 framing: <c>k4.&lt;type&gt;.</c> followed by the unpadded base64url key bytes, and key ids.</summary>
internal static class Paserk
{
    public const string LocalPrefix = "k4.local.";
    public const string PublicPrefix = "k4.public.";
    public const string SecretPrefix = "k4.secret.";
    public const string LocalIdPrefix = "k4.lid.";
    public const string PublicIdPrefix = "k4.pid.";
    public const string SecretIdPrefix = "k4.sid.";

    /// <summary>BLAKE2b-264: 33 bytes encode to exactly 44 base64url characters.</summary>
    public const int IdHashSize = 33;

    public static string Encode(string prefix, ReadOnlySpan<byte> data)
    {
        Span<char> buffer = stackalloc char[prefix.Length + PasetoBase64Url.GetEncodedLength(data.Length)];
        prefix.CopyTo(buffer);
        PasetoBase64Url.Encode(data, buffer[prefix.Length..]);
        var result = new string(buffer);
        buffer.Clear();
        return result;
    }

    /// <summary>Accepts exactly <paramref name="prefix"/> followed by the canonical encoding of <c>data.Length</c> bytes.</summary>
    public static bool TryDecode(ReadOnlySpan<char> paserk, string prefix, Span<byte> data)
    {
        if (!paserk.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var encoded = paserk[prefix.Length..];
        return encoded.Length == PasetoBase64Url.GetEncodedLength(data.Length)
            && PasetoBase64Url.TryDecode(encoded, data, out var written)
            && written == data.Length;
    }

    /// <summary>
    /// The PASERK id of a key: <c>h || base64url(BLAKE2b-264(h || p))</c>, where <c>p</c> is the key's
    /// PASERK. The PASERK of a secret key is assembled on the stack and wiped, so computing an id
    /// never leaves the secret in a heap string.
    /// </summary>
    public static string ComputeId(string idPrefix, string keyPrefix, ReadOnlySpan<byte> keyData)
    {
        var encodedLength = Base64Url.GetEncodedLength(keyData.Length);
        Span<byte> input = stackalloc byte[idPrefix.Length + keyPrefix.Length + encodedLength];
        try
        {
            var written = Encoding.ASCII.GetBytes(idPrefix, input);
            written += Encoding.ASCII.GetBytes(keyPrefix, input[written..]);
            Base64Url.EncodeToUtf8(keyData, input[written..]);

            Span<byte> hash = stackalloc byte[IdHashSize];
            BLAKE2b.ComputeHash(hash, input);
            return Encode(idPrefix, hash);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(input);
        }
    }
}
