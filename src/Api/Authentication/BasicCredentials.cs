using System.Text;

namespace Paseto.Auth.Api.Authentication;

/// <summary>
/// Reads an HTTP Basic credential (RFC 7617) as OAuth 2.0 clients send it (RFC 6749 §2.3.1):
/// <c>Basic base64(urlencode(id) ":" urlencode(secret))</c>. Anything else (another scheme,
/// base64 that is not canonical, bytes that are not UTF-8, no colon) is no credential at all.
/// </summary>
internal static class BasicCredentials
{
    private const string Prefix = "Basic ";

    private static readonly UTF8Encoding _strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static bool TryRead(string? header, out string id, out string secret)
    {
        id = secret = string.Empty;
        if (header is null || !header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var encoded = header.AsSpan(Prefix.Length).Trim(' ');
        // 1 KiB of credential is far more than an id and a 256-bit secret need.
        if (encoded.Length > 1024)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[encoded.Length];
        if (!Convert.TryFromBase64Chars(encoded, bytes, out var written))
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = _strictUtf8.GetString(bytes[..written]);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return false;
        }

        id = FormDecode(decoded[..colon]);
        secret = FormDecode(decoded[(colon + 1)..]);
        return true;
    }

    private static string FormDecode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));
}
