using System.Buffers.Text;
using Paseto.Auth.Application.Posts;

namespace Paseto.Auth.UnitTests.Posts;

public sealed class PostCursorTests
{
    private static readonly PostCursor _cursor = new(new DateTimeOffset(2026, 11, 28, 12, 34, 56, TimeSpan.Zero).AddTicks(1234560), 42);

    [Test]
    public void A_cursor_survives_the_round_trip_to_the_microsecond()
    {
        Assert.That(PostCursor.TryDecode(_cursor.Encode(), out var decoded), Is.True);
        Assert.That(decoded, Is.EqualTo(_cursor));
    }

    [Test]
    public void A_cursor_is_short_base64url()
    {
        var text = _cursor.Encode();

        Assert.That(text, Has.Length.EqualTo(18));
        Assert.That(text, Does.Match("^[A-Za-z0-9_-]+$"));
    }

    [Test]
    public void Anything_that_is_not_exactly_one_of_ours_is_refused()
    {
        var text = _cursor.Encode();
        var bytes = Base64Url.DecodeFromChars(text);
        byte[] otherVersion = [.. bytes];
        otherVersion[0] = 2;
        byte[] zeroId = [.. bytes];
        zeroId.AsSpan(^4).Clear();
        byte[] negativeTime = [.. bytes];
        negativeTime[1] = 0x80;
        // The last character carries 4 unused bits; setting one gives the same bytes from a different string.
        var nonCanonical = text[..^1] + (char)(text[^1] + 1);

        foreach (var bad in new[]
        {
            null, "", "AAAA", text[..^1], text + "A", text + "=", Convert.ToBase64String(bytes),
            Base64Url.EncodeToString(otherVersion), Base64Url.EncodeToString(zeroId), Base64Url.EncodeToString(negativeTime),
            nonCanonical, new string('A', 18), "!!!!!!!!!!!!!!!!!!",
        })
        {
            Assert.That(PostCursor.TryDecode(bad, out _), Is.False, bad ?? "null");
        }
    }
}
