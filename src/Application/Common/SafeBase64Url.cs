using System.Buffers.Text;

namespace Paseto.Auth.Application.Common;

/// <summary>
/// Base64url decoding of untrusted text that answers false instead of throwing:
/// <see cref="Base64Url.TryDecodeFromChars(ReadOnlySpan{char}, Span{byte}, out int)"/> throws a
/// <see cref="FormatException"/> on characters outside the alphabet, which would turn a bad
/// cursor or token into a 500.
/// </summary>
public static class SafeBase64Url
{
    public static bool TryDecode(ReadOnlySpan<char> text, Span<byte> destination, out int written)
    {
        written = 0;
        return Base64Url.IsValid(text, out var length)
            && length <= destination.Length
            && Base64Url.TryDecodeFromChars(text, destination, out written);
    }
}
