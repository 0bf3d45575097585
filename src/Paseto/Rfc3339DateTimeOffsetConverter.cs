using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Paseto.Auth.Paseto;

/// <summary>
/// Reads RFC 3339 <c>date-time</c> strings exactly (<c>2026-11-28T12:00:00Z</c>,
/// <c>2026-11-28T13:00:00.5+01:00</c>; an offset is required, lower-case <c>t</c>/<c>z</c> allowed)
/// and normalizes them to UTC. Writes UTC as <c>yyyy-MM-ddTHH:mm:ss[.fffffff]Z</c> (a <c>+00:00</c>
/// suffix would come out as <c>\u002B00:00</c> under the default JSON encoder). The framework's own
/// converter accepts strings without an offset and reads them as local time, which is wrong for a token.
/// </summary>
public sealed class Rfc3339DateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    private const int MaxLength = 64;

    /// <summary>Reads an RFC 3339 <c>date-time</c> string as a UTC instant.</summary>
    /// <param name="reader">The reader, at a JSON string.</param>
    /// <param name="typeToConvert"><see cref="DateTimeOffset"/>.</param>
    /// <param name="options">Not used.</param>
    /// <returns>The instant, with a zero offset.</returns>
    /// <exception cref="JsonException">Not a string, or not an RFC 3339 <c>date-time</c> (no offset, a leap second, out of range, longer than 64 bytes).</exception>
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("Expected an RFC 3339 date-time string.");
        }

        var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (length > MaxLength)
        {
            throw new JsonException("Expected an RFC 3339 date-time string.");
        }

        Span<byte> buffer = stackalloc byte[MaxLength];
        var written = reader.CopyString(buffer);
        return Rfc3339.TryParse(buffer[..written], out var value)
            ? value
            : throw new JsonException("Expected an RFC 3339 date-time string.");
    }

    /// <summary>Writes the instant in UTC as <c>yyyy-MM-ddTHH:mm:ss[.fffffff]Z</c>, without trailing zeros in the fraction.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="value">The instant, in any offset.</param>
    /// <param name="options">Not used.</param>
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<byte> buffer = stackalloc byte[MaxLength];
        var utc = value.UtcDateTime;
        if (!utc.TryFormat(buffer, out var written, "yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFF'Z'", CultureInfo.InvariantCulture))
        {
            throw new JsonException("The date-time could not be formatted.");
        }

        writer.WriteStringValue(buffer[..written]);
    }
}

/// <summary>A strict parser for RFC 3339 §5.6 <c>date-time</c> in UTF-8.</summary>
internal static class Rfc3339
{
    public static bool TryParse(ReadOnlySpan<byte> text, out DateTimeOffset value)
    {
        value = default;

        // yyyy-MM-ddTHH:mm:ss is 19 characters; the shortest offset ("Z") makes 20.
        if (text.Length < 20
            || text[4] != '-' || text[7] != '-' || (text[10] | 0x20) != 't' || text[13] != ':' || text[16] != ':'
            || !TryDigits(text[..4], out var year)
            || !TryDigits(text.Slice(5, 2), out var month)
            || !TryDigits(text.Slice(8, 2), out var day)
            || !TryDigits(text.Slice(11, 2), out var hour)
            || !TryDigits(text.Slice(14, 2), out var minute)
            || !TryDigits(text.Slice(17, 2), out var second))
        {
            return false;
        }

        // Leap seconds (:60) cannot be represented and are refused rather than silently shifted.
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var rest = text[19..];
        long fractionTicks = 0;
        if (rest[0] == '.')
        {
            var digits = rest[1..].IndexOfAnyExceptInRange((byte)'0', (byte)'9');
            if (digits <= 0)
            {
                return false;
            }

            // Beyond 100 ns (7 digits) the fraction is truncated; at most 9 digits are accepted.
            if (digits > 9)
            {
                return false;
            }

            var scale = 1_000_000L;
            for (var i = 0; i < Math.Min(digits, 7); i++)
            {
                fractionTicks += (rest[1 + i] - '0') * scale;
                scale /= 10;
            }

            rest = rest[(1 + digits)..];
        }

        if (!TryParseOffset(rest, out var offsetMinutes))
        {
            return false;
        }

        var localTicks = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).Ticks + fractionTicks;
        var utcTicks = localTicks - (offsetMinutes * TimeSpan.TicksPerMinute);
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        value = new DateTimeOffset(utcTicks, TimeSpan.Zero);
        return true;
    }

    private static bool TryParseOffset(ReadOnlySpan<byte> text, out int offsetMinutes)
    {
        offsetMinutes = 0;
        if (text.Length == 1 && (text[0] | 0x20) == 'z')
        {
            return true;
        }

        if (text.Length != 6 || (text[0] != '+' && text[0] != '-') || text[3] != ':'
            || !TryDigits(text.Slice(1, 2), out var hours)
            || !TryDigits(text.Slice(4, 2), out var minutes)
            || hours > 23 || minutes > 59)
        {
            return false;
        }

        offsetMinutes = (hours * 60) + minutes;
        if (text[0] == '-')
        {
            offsetMinutes = -offsetMinutes;
        }

        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        foreach (var c in text)
        {
            if (c is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
