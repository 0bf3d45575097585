
namespace Paseto.Auth.Paseto.Tests;

public sealed class PasetoBase64UrlTests
{
    [Test]
    public void Every_length_round_trips_without_padding()
    {
        for (var length = 0; length < 70; length++)
        {
            var data = Enumerable.Range(0, length).Select(i => (byte)(i * 37 + 250)).ToArray();
            var encoded = PasetoBase64Url.Encode(data);
            var decoded = new byte[PasetoBase64Url.GetDecodedLength(encoded.Length)];

            Assert.Multiple(() =>
            {
                Assert.That(encoded, Does.Not.Contain('='));
                Assert.That(PasetoBase64Url.TryDecode(encoded, decoded, out var written), Is.True);
                Assert.That(decoded.AsSpan(0, written).ToArray(), Is.EqualTo(data));
            });
        }
    }

    [TestCase("AA==", TestName = "Padding_is_refused")]
    [TestCase("AAA=", TestName = "Single_padding_character_is_refused")]
    [TestCase("AB", TestName = "Non_zero_trailing_bits_after_one_byte_are_refused")]
    [TestCase("AAB", TestName = "Non_zero_trailing_bits_after_two_bytes_are_refused")]
    [TestCase("AAAAA", TestName = "A_length_of_4n_plus_1_is_refused")]
    [TestCase("AA+A", TestName = "Standard_base64_plus_is_refused")]
    [TestCase("AA/A", TestName = "Standard_base64_slash_is_refused")]
    [TestCase("AA A", TestName = "Whitespace_is_refused")]
    [TestCase("AA\nA", TestName = "A_newline_is_refused")]
    [TestCase("AAA ", TestName = "Trailing_whitespace_is_refused")]
    [TestCase("\tAAAAAA", TestName = "Leading_whitespace_is_refused")]
    [TestCase("AAAA\r\nAA", TestName = "A_line_break_inside_a_longer_text_is_refused")]
    [TestCase("AA.A", TestName = "A_dot_is_refused")]
    public void Non_canonical_base64url_is_refused(string encoded)
    {
        var buffer = new byte[16];

        Assert.That(PasetoBase64Url.TryDecode(encoded, buffer, out _), Is.False);
    }

    [Test]
    public void Clean_trailing_bits_are_accepted()
    {
        var buffer = new byte[16];

        Assert.Multiple(() =>
        {
            Assert.That(PasetoBase64Url.TryDecode("AQ", buffer, out var one), Is.True);
            Assert.That(one, Is.EqualTo(1));
            Assert.That(PasetoBase64Url.TryDecode("AAE", buffer, out var two), Is.True);
            Assert.That(two, Is.EqualTo(2));
        });
    }
}
