namespace Paseto.Auth.Paseto;

/// <summary>Splits a PASETO token into its base64url payload and footer after an exact header match.</summary>
internal static class PasetoToken
{
    public const string LocalHeader = "v4.local.";
    public const string PublicHeader = "v4.public.";

    public static ReadOnlySpan<byte> LocalHeaderUtf8 => "v4.local."u8;

    public static ReadOnlySpan<byte> PublicHeaderUtf8 => "v4.public."u8;

    public static string HeaderOf(PasetoPurpose purpose) =>
        purpose == PasetoPurpose.Local ? LocalHeader : PublicHeader;

    /// <summary>
    /// Checks the size limit and the header, then returns the payload and the (possibly empty) footer,
    /// both still base64url-encoded. A token must be exactly <c>h || payload [|| "." || footer]</c>;
    /// an empty payload, an empty footer after a dot, or a further dot is malformed.
    /// </summary>
    public static PasetoTokenError TrySplit(
        ReadOnlySpan<char> token,
        PasetoPurpose purpose,
        out ReadOnlySpan<char> payload,
        out ReadOnlySpan<char> footer)
    {
        payload = default;
        footer = default;
        if (token.Length > PasetoLimits.MaxTokenLength)
        {
            return PasetoTokenError.TooLarge;
        }

        var header = HeaderOf(purpose);
        if (!token.StartsWith(header, StringComparison.Ordinal))
        {
            return ClassifyForeignHeader(token);
        }

        var body = token[header.Length..];
        var dot = body.IndexOf('.');
        if (dot < 0)
        {
            payload = body;
        }
        else
        {
            payload = body[..dot];
            footer = body[(dot + 1)..];
            if (footer.IsEmpty || footer.Contains('.'))
            {
                return PasetoTokenError.Malformed;
            }
        }

        return payload.IsEmpty ? PasetoTokenError.Malformed : PasetoTokenError.None;
    }

    /// <summary>Builds <c>h || base64url(raw) [|| "." || base64url(footer)]</c>; an empty footer adds nothing.</summary>
    public static string Compose(string header, ReadOnlySpan<byte> raw, ReadOnlySpan<byte> footer)
    {
        var length = header.Length + PasetoBase64Url.GetEncodedLength(raw.Length);
        if (!footer.IsEmpty)
        {
            length += 1 + PasetoBase64Url.GetEncodedLength(footer.Length);
        }

        return string.Create(length, new ComposeState(header, raw, footer), static (chars, state) =>
        {
            state.Header.CopyTo(chars);
            var position = state.Header.Length;
            position += PasetoBase64Url.Encode(state.Raw, chars[position..]);
            if (!state.Footer.IsEmpty)
            {
                chars[position++] = '.';
                PasetoBase64Url.Encode(state.Footer, chars[position..]);
            }
        });
    }

    /// <summary>Decodes a footer segment into a new array (empty when there is no footer).</summary>
    public static bool TryDecodeFooter(ReadOnlySpan<char> encodedFooter, out byte[] footer)
    {
        footer = [];
        if (encodedFooter.IsEmpty)
        {
            return true;
        }

        var length = PasetoBase64Url.GetDecodedLength(encodedFooter.Length);
        if (length < 0)
        {
            return false;
        }

        var decoded = new byte[length];
        if (!PasetoBase64Url.TryDecode(encodedFooter, decoded, out _))
        {
            return false;
        }

        footer = decoded;
        return true;
    }

    private static PasetoTokenError ClassifyForeignHeader(ReadOnlySpan<char> token)
    {
        if (token.StartsWith("v4.", StringComparison.Ordinal))
        {
            // A complete "v4.<purpose>." header of another purpose; without the second dot it is no header.
            return token[3..].IndexOf('.') > 0 ? PasetoTokenError.WrongPurpose : PasetoTokenError.Malformed;
        }

        // "v<digits>." is some other PASETO version; anything else is not a PASETO token at all.
        if (token.Length > 2 && token[0] == 'v' && char.IsAsciiDigit(token[1]))
        {
            var digits = token[1..];
            var end = digits.IndexOfAnyExceptInRange('0', '9');
            if (end > 0 && digits[end] == '.')
            {
                return PasetoTokenError.UnsupportedVersion;
            }
        }

        return PasetoTokenError.Malformed;
    }

    private readonly ref struct ComposeState(string header, ReadOnlySpan<byte> raw, ReadOnlySpan<byte> footer)
    {
        public string Header { get; } = header;

        public ReadOnlySpan<byte> Raw { get; } = raw;

        public ReadOnlySpan<byte> Footer { get; } = footer;
    }
}
