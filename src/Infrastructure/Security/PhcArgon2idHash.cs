using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Paseto.Auth.Infrastructure.Security;

/// <summary>
/// An Argon2id hash in the PHC string format:
/// <c>$argon2id$v=19$m=19456,t=2,p=1$&lt;salt&gt;$&lt;hash&gt;</c>, salt and hash in B64 (standard
/// base64 alphabet, no padding).
/// </summary>
/// <remarks>
/// <para>
/// The string carries everything needed to verify it, so parameters can change without losing the
/// hashes already stored. Parsing is strict and bounded: a stored row is input we did not write just
/// now, and anything outside what the format and <see cref="Argon2idParameters"/> allow is refused
/// instead of computed, so a tampered row cannot cost more than a normal login.
/// </para>
/// <para>
/// Peppers: the optional Argon2 parameter <c>keyid</c> (0–8 bytes, B64, after <c>p</c>) names the
/// secret key a hash was made with, e.g. <c>$argon2id$v=19$m=19456,t=2,p=1,keyid=AQ$…$…</c>.
/// Parameters after <c>m,t,p</c> are therefore parsed and kept in <see cref="ExtraParameters"/>
/// rather than rejected here; the hasher decides what it understands. Strings without
/// <c>keyid</c> stay valid (no pepper).
/// </para>
/// </remarks>
internal sealed class PhcArgon2idHash
{
    public const string Identifier = "argon2id";

    public const int MinSaltLength = 8;
    public const int MaxSaltLength = 48;

    /// <summary>The format allows 12 bytes; we accept nothing under 128 bits.</summary>
    public const int MinHashLength = 16;

    public const int MaxHashLength = 64;

    /// <summary>Longer than any string that fits the limits above; checked before any other work.</summary>
    private const int MaxLength = 1024;

    private const int MaxParameterNameLength = 32;
    private const int MaxParameterValueLength = 64;
    private const int MaxExtraParameters = 4;

    /// <summary>Argon2 version 0x13, the only one written since 2016 and the only one libsodium computes.</summary>
    private const string VersionField = "v=19";

    private PhcArgon2idHash(
        Argon2idParameters parameters,
        IReadOnlyList<KeyValuePair<string, string>> extraParameters,
        byte[] salt,
        byte[] hash)
    {
        Parameters = parameters;
        ExtraParameters = extraParameters;
        Salt = salt;
        Hash = hash;
    }

    public Argon2idParameters Parameters { get; }

    /// <summary>Parameters after <c>m,t,p</c>, in their order (e.g. <c>keyid</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ExtraParameters { get; }

    public ReadOnlyMemory<byte> Salt { get; }

    public ReadOnlyMemory<byte> Hash { get; }

    public const string KeyIdParameter = "keyid";

    public static string Format(Argon2idParameters parameters, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> hash, string? keyId = null) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"${Identifier}${VersionField}$m={parameters.MemoryKiB},t={parameters.Iterations},p={parameters.Parallelism}{(keyId is null ? string.Empty : "," + KeyIdParameter + "=" + keyId)}${EncodeB64(salt)}${EncodeB64(hash)}");

    /// <summary>Parses <paramref name="value"/>; never throws, whatever it holds.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out PhcArgon2idHash? result)
    {
        result = null;
        if (value is null || value.Length > MaxLength)
        {
            return false;
        }

        // "" $ argon2id $ v=19 $ params $ salt $ hash
        var fields = value.Split('$');
        if (fields.Length != 6
            || fields[0].Length != 0
            || !string.Equals(fields[1], Identifier, StringComparison.Ordinal)
            || !string.Equals(fields[2], VersionField, StringComparison.Ordinal)
            || !TryParseParameters(fields[3], out var parameters, out var extras)
            || !TryDecodeB64(fields[4], MinSaltLength, MaxSaltLength, out var salt)
            || !TryDecodeB64(fields[5], MinHashLength, MaxHashLength, out var hash))
        {
            return false;
        }

        result = new PhcArgon2idHash(parameters, extras, salt, hash);
        return true;
    }

    private static bool TryParseParameters(
        string field,
        out Argon2idParameters parameters,
        out IReadOnlyList<KeyValuePair<string, string>> extras)
    {
        parameters = default;
        extras = [];
        var pairs = field.Split(',');
        if (pairs.Length < 3 || pairs.Length > 3 + MaxExtraParameters)
        {
            return false;
        }

        // The format fixes the order m, t, p; a producer writing another order is not one of ours.
        if (!TryParseDecimal(pairs[0], "m=", out var memory)
            || !TryParseDecimal(pairs[1], "t=", out var iterations)
            || !TryParseDecimal(pairs[2], "p=", out var parallelism))
        {
            return false;
        }

        parameters = new Argon2idParameters(memory, iterations, parallelism);
        if (!parameters.IsWithinBounds)
        {
            return false;
        }

        var extraList = new List<KeyValuePair<string, string>>(pairs.Length - 3);
        for (var i = 3; i < pairs.Length; i++)
        {
            var separator = pairs[i].IndexOf('=', StringComparison.Ordinal);
            if (separator < 1)
            {
                return false;
            }

            var name = pairs[i][..separator];
            var text = pairs[i][(separator + 1)..];
            if (name.Length > MaxParameterNameLength
                || !name.All(IsNameChar)
                || name is "m" or "t" or "p"
                || extraList.Exists(p => string.Equals(p.Key, name, StringComparison.Ordinal))
                || text.Length > MaxParameterValueLength
                || !text.All(IsValueChar))
            {
                return false;
            }

            extraList.Add(new KeyValuePair<string, string>(name, text));
        }

        extras = extraList;
        return true;
    }

    /// <summary>Plain decimal as the format defines it: digits only, no sign, no leading zero, fits an int.</summary>
    private static bool TryParseDecimal(string pair, string prefix, out int value)
    {
        value = 0;
        if (!pair.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var digits = pair.AsSpan(prefix.Length);
        return digits.Length is >= 1 and <= 10
            && !(digits.Length > 1 && digits[0] == '0')
            && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>
    /// Decodes B64 strictly: the standard alphabet, no padding, no whitespace, and only the one
    /// canonical spelling (zero trailing bits), so each value has exactly one accepted string.
    /// </summary>
    private static bool TryDecodeB64(string text, int minBytes, int maxBytes, [NotNullWhen(true)] out byte[]? bytes)
    {
        bytes = null;
        if (text.Length % 4 == 1
            || text.Length < (minBytes * 4 + 2) / 3
            || text.Length > (maxBytes * 4 + 2) / 3
            || !text.All(IsB64Char))
        {
            return false;
        }

        var padded = text.Length % 4 == 0 ? text : text + new string('=', 4 - text.Length % 4);
        var decoded = Convert.FromBase64String(padded);
        if (decoded.Length < minBytes || decoded.Length > maxBytes
            || !string.Equals(EncodeB64(decoded), text, StringComparison.Ordinal))
        {
            return false;
        }

        bytes = decoded;
        return true;
    }

    private static string EncodeB64(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static bool IsB64Char(char c) => char.IsAsciiLetterOrDigit(c) || c is '+' or '/';

    private static bool IsNameChar(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-';

    private static bool IsValueChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '/' or '+' or '.' or '-';
}
