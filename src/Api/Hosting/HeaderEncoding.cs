using System.Text;

namespace Paseto.Auth.Api.Hosting;

/// <summary>
/// How request header values are decoded: as UTF-8, and a byte that is not part of UTF-8 as its
/// Latin-1 character. RFC 9110 §5.5 lets a field value carry such bytes (obs-text) and asks that
/// they be kept as opaque data; the server's default refuses the whole request with a bare 400
/// instead, before the API can answer it with a problem. Every byte maps to a character, so no
/// value fails to decode, and valid UTF-8 (a user agent with "é" in it) reads as it was meant.
/// </summary>
internal static class HeaderEncoding
{
    public static Encoding Utf8OrLatin1 { get; } = Create();

    private static Encoding Create()
    {
        var encoding = (Encoding)new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).Clone();
        encoding.DecoderFallback = new Latin1Fallback();
        return encoding;
    }

    /// <summary>Turns each byte the UTF-8 decoder cannot use into the character of the same number.</summary>
    private sealed class Latin1Fallback : DecoderFallback
    {
        // The decoder hands over at most the bytes of one malformed sequence (four) at a time.
        public override int MaxCharCount => 4;

        public override DecoderFallbackBuffer CreateFallbackBuffer() => new Buffer();

        private sealed class Buffer : DecoderFallbackBuffer
        {
            private byte[] _bytes = [];
            private int _next;

            public override int Remaining => _bytes.Length - _next;

            public override bool Fallback(byte[] bytesUnknown, int index)
            {
                _bytes = bytesUnknown;
                _next = 0;
                return _bytes.Length > 0;
            }

            public override char GetNextChar() => _next < _bytes.Length ? (char)_bytes[_next++] : '\0';

            public override bool MovePrevious()
            {
                if (_next == 0)
                {
                    return false;
                }

                _next--;
                return true;
            }

            public override void Reset()
            {
                _bytes = [];
                _next = 0;
            }
        }
    }
}
