using System.Text;
using Paseto.Auth.Infrastructure.Persistence.Repositories;

namespace Paseto.Auth.UnitTests.Users;

public sealed class PrefixUpperBoundTests
{
    [TestCase("a", "b")]
    [TestCase("al", "am")]
    [TestCase("\uD7FF", "\uE000")]
    [TestCase("a\uFFFF", "a\U00010000")]
    [TestCase("\U0001F7FF", "\U0001F800")]
    [TestCase("a\U0010FFFF", "b")]
    [TestCase("ab\U0010FFFF\U0010FFFF", "ac")]
    public void The_bound_steps_the_last_code_point(string prefix, string expected) =>
        Assert.That(UserRepository.PrefixUpperBound(prefix), Is.EqualTo(expected));

    [Test]
    public void A_prefix_of_only_the_last_code_point_has_no_bound() =>
        Assert.That(UserRepository.PrefixUpperBound("\U0010FFFF\U0010FFFF"), Is.Null);

    [Test]
    public void The_bound_sorts_above_every_extension_of_the_prefix_in_utf8_byte_order()
    {
        var random = new Random(20261201);
        for (var i = 0; i < 2000; i++)
        {
            var prefix = RandomText(random, random.Next(1, 4));
            var extended = prefix + RandomText(random, random.Next(0, 4));
            var outside = RandomText(random, random.Next(1, 6));
            if (UserRepository.PrefixUpperBound(prefix) is not { } high)
            {
                Assert.That(prefix.EnumerateRunes().All(r => r.Value == 0x10FFFF), Is.True, Escape(prefix));
                continue;
            }


            Assert.That(Compare(extended, high), Is.Negative, $"{Escape(extended)} < {Escape(high)}");
            Assert.That(Encoding.UTF8.GetByteCount(high), Is.Positive, "well-formed text");
            if (!outside.StartsWith(prefix, StringComparison.Ordinal) && Compare(outside, prefix) > 0)
            {
                Assert.That(Compare(outside, high), Is.Not.Negative, $"{Escape(outside)} is not below {Escape(high)}");
            }
        }
    }

    private static string RandomText(Random random, int runes)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < runes; i++)
        {
            // Near the edges that matter: the end of the BMP below the surrogates, U+FFFF, the top of the code space.
            var value = random.Next(6) switch
            {
                0 => random.Next(0x61, 0x64),
                1 => random.Next(0xD7FD, 0xD800),
                2 => random.Next(0xE000, 0xE002),
                3 => random.Next(0xFFFD, 0x10002),
                4 => random.Next(0x1F7FE, 0x1F801),
                _ => random.Next(0x10FFFD, 0x110000),
            };
            builder.Append(new Rune(value).ToString());
        }

        return builder.ToString();
    }

    private static int Compare(string a, string b) =>
        Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b));

    private static string Escape(string text) => string.Join(' ', text.EnumerateRunes().Select(r => $"U+{r.Value:X4}"));
}
