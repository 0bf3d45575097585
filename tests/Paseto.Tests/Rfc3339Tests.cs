using System.Text;
using System.Text.Json;

namespace Paseto.Auth.Paseto.Tests;

public sealed class Rfc3339Tests
{
    [TestCase("2026-11-28T12:00:00Z", "2026-11-28T12:00:00.0000000+00:00")]
    [TestCase("2026-11-28T12:00:00+00:00", "2026-11-28T12:00:00.0000000+00:00")]
    [TestCase("2026-11-28t12:00:00z", "2026-11-28T12:00:00.0000000+00:00")]
    [TestCase("2026-11-28T13:30:00+01:30", "2026-11-28T12:00:00.0000000+00:00")]
    [TestCase("2026-11-28T00:00:00-23:59", "2026-11-28T23:59:00.0000000+00:00")]
    [TestCase("2026-11-28T12:00:00.5Z", "2026-11-28T12:00:00.5000000+00:00")]
    [TestCase("2026-11-28T12:00:00.123456789Z", "2026-11-28T12:00:00.1234567+00:00")]
    [TestCase("2024-02-29T00:00:00Z", "2024-02-29T00:00:00.0000000+00:00")]
    public void Valid_date_times_parse_to_the_utc_instant(string text, string expectedRoundTrip)
    {
        Assert.Multiple(() =>
        {
            Assert.That(Rfc3339.TryParse(Encoding.ASCII.GetBytes(text), out var value), Is.True);
            Assert.That(value.ToString("O", System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(expectedRoundTrip));
        });
    }

    [TestCase("2026-11-28T12:00:00", TestName = "A_date_time_without_offset_is_refused")]
    [TestCase("2026-11-28 12:00:00Z", TestName = "A_space_instead_of_T_is_refused")]
    [TestCase("2026-11-28", TestName = "A_date_alone_is_refused")]
    [TestCase("2026-02-29T00:00:00Z", TestName = "A_day_outside_the_month_is_refused")]
    [TestCase("2026-13-01T00:00:00Z", TestName = "Month_13_is_refused")]
    [TestCase("2026-11-28T24:00:00Z", TestName = "Hour_24_is_refused")]
    [TestCase("2026-12-31T23:59:60Z", TestName = "A_leap_second_is_refused")]
    [TestCase("2026-11-28T12:00:00.Z", TestName = "An_empty_fraction_is_refused")]
    [TestCase("2026-11-28T12:00:00.1234567890Z", TestName = "A_fraction_over_nine_digits_is_refused")]
    [TestCase("2026-11-28T12:00:00+0100", TestName = "An_offset_without_colon_is_refused")]
    [TestCase("2026-11-28T12:00:00+24:00", TestName = "An_offset_of_24_hours_is_refused")]
    [TestCase("2026-11-28T12:00:00Z ", TestName = "Trailing_text_is_refused")]
    [TestCase("0000-01-01T00:00:00Z", TestName = "Year_zero_is_refused")]
    [TestCase("0001-01-01T00:00:00+01:00", TestName = "An_instant_before_year_one_is_refused")]
    [TestCase("+2026-11-28T12:00:00Z", TestName = "A_signed_year_is_refused")]
    public void Invalid_date_times_are_refused(string text)
    {
        Assert.That(Rfc3339.TryParse(Encoding.ASCII.GetBytes(text), out _), Is.False);
    }

    [Test]
    public void Claims_times_are_written_in_utc_without_a_zero_fraction()
    {
        var claims = new PasetoClaims
        {
            IssuedAt = new DateTimeOffset(2026, 11, 28, 14, 0, 0, TimeSpan.FromHours(2)),
            Expiration = new DateTimeOffset(2026, 11, 28, 12, 0, 0, 250, TimeSpan.Zero),
        };

        var json = JsonSerializer.Serialize(claims, PasetoJsonContext.Default.PasetoClaims);

        Assert.That(json, Is.EqualTo("{\"iat\":\"2026-11-28T12:00:00Z\",\"exp\":\"2026-11-28T12:00:00.25Z\"}"));
    }

    [Test]
    public void Escaped_characters_in_a_date_time_string_are_unescaped_first()
    {
        var claims = JsonSerializer.Deserialize("{\"exp\":\"2026-11-28T12:00:00\\u002B00:00\"}", PasetoJsonContext.Default.PasetoClaims);

        Assert.That(claims!.Expiration, Is.EqualTo(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero)));
    }
}
