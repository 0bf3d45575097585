using System.Buffers.Text;
using System.Security.Cryptography;

namespace Paseto.Auth.Application.Common;

/// <summary>
/// Opaque 256-bit bearer secrets (refresh and device tokens). Only the SHA-256 of a token is
/// stored: the secret has full entropy, so a fast hash is enough and a leaked table reveals
/// no usable token.
/// </summary>
public static class OpaqueToken
{
    private const int SecretBytes = 32;

    /// <summary>The encoded length of a token: 32 bytes in base64url without padding.</summary>
    public const int EncodedLength = 43;

    public static (string Token, byte[] Hash) Create()
    {
        Span<byte> secret = stackalloc byte[SecretBytes];
        RandomNumberGenerator.Fill(secret);
        var token = Base64Url.EncodeToString(secret);
        return (token, SHA256.HashData(secret));
    }

    /// <summary>Decodes a presented token and hashes it; false for anything that cannot be one of ours.</summary>
    public static bool TryHash(string? token, out byte[] hash)
    {
        hash = [];
        if (token is not { Length: EncodedLength })
        {
            return false;
        }

        Span<byte> secret = stackalloc byte[SecretBytes + 2];
        if (!SafeBase64Url.TryDecode(token, secret, out var written) || written != SecretBytes
            || !string.Equals(Base64Url.EncodeToString(secret[..SecretBytes]), token, StringComparison.Ordinal))
        {
            return false;
        }

        hash = SHA256.HashData(secret[..SecretBytes]);
        return true;
    }
}
