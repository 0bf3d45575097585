using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;
using Microsoft.Extensions.Primitives;
using Paseto.Auth.Api.ErrorHandling;

namespace Paseto.Auth.Api.RequestBodies;

/// <summary>
/// Parses an <c>application/x-www-form-urlencoded</c> body as the WHATWG URL standard does (<c>+</c>
/// is a space, <c>%XX</c> a byte, a <c>%</c> without two hex digits stays as it is), except that
/// bytes that are not UTF-8 once decoded are refused instead of turned into U+FFFD: two passwords
/// that differ in such bytes would otherwise become the same string, and the login, a failure
/// that counts against the account.
/// </summary>
internal static class Utf8Form
{
    public static Dictionary<string, StringValues> Parse(ReadOnlySpan<byte> body, int maxFields)
    {
        var fields = new Dictionary<string, StringValues>(StringComparer.OrdinalIgnoreCase);
        var count = 0;
        while (!body.IsEmpty)
        {
            var end = body.IndexOf((byte)'&');
            var pair = end < 0 ? body : body[..end];
            body = end < 0 ? [] : body[(end + 1)..];
            if (pair.IsEmpty)
            {
                continue;
            }

            if (++count > maxFields)
            {
                throw new InvalidBodyException(ValidationErrors.BodyKey, $"The form has more than {maxFields} fields.");
            }

            var equals = pair.IndexOf((byte)'=');
            var name = Decode(equals < 0 ? pair : pair[..equals])
                ?? throw new InvalidBodyException(ValidationErrors.BodyKey, "A field name is not UTF-8 once percent-decoded.");
            var value = Decode(equals < 0 ? [] : pair[(equals + 1)..])
                ?? throw new InvalidBodyException(name, "The value is not UTF-8 once percent-decoded.");
            fields[name] = StringValues.Concat(fields.GetValueOrDefault(name), value);
        }

        return fields;
    }

    private static string? Decode(ReadOnlySpan<byte> encoded)
    {
        var decoded = encoded.Length <= 512 ? stackalloc byte[encoded.Length] : new byte[encoded.Length];
        var length = 0;
        for (var i = 0; i < encoded.Length; i++)
        {
            if (encoded[i] == '%' && i + 2 < encoded.Length
                && byte.TryParse(encoded.Slice(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var escaped))
            {
                decoded[length++] = escaped;
                i += 2;
            }
            else
            {
                decoded[length++] = encoded[i] == '+' ? (byte)' ' : encoded[i];
            }
        }

        try
        {
            return Utf8.IsValid(decoded[..length]) ? Encoding.UTF8.GetString(decoded[..length]) : null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(decoded);
        }
    }
}
