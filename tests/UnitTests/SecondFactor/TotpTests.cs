using System.Text;
using Microsoft.Extensions.Options;
using Paseto.Auth.Application;
using Paseto.Auth.Infrastructure.Security;

namespace Paseto.Auth.UnitTests.SecondFactor;

/// <summary>RFC 6238's test vectors (Appendix B) and the acceptance window around them.</summary>
public sealed class TotpTests
{
    // The SHA-1 seed of Appendix B: the ASCII of "12345678901234567890".
    private static readonly byte[] _seed = Encoding.ASCII.GetBytes("12345678901234567890");
    private readonly Rfc6238Totp _totp = new(Options.Create(new AuthOptions()));

    [TestCase(59L, "94287082")]
    [TestCase(1111111109L, "07081804")]
    [TestCase(1111111111L, "14050471")]
    [TestCase(1234567890L, "89005924")]
    [TestCase(2000000000L, "69279037")]
    [TestCase(20000000000L, "65353130")]
    public void The_SHA1_vectors_of_RFC_6238_come_out_with_eight_digits(long unixTime, string expected)
    {
        var step = _totp.StepAt(DateTimeOffset.FromUnixTimeSeconds(unixTime));
        Assert.That(Rfc6238Totp.Code(_seed, step, digits: 8), Is.EqualTo(expected));
    }

    [TestCase(59L, "287082")]
    [TestCase(1111111109L, "081804")]
    [TestCase(1234567890L, "005924")]
    public void Six_digits_are_the_last_six_of_the_same_truncation(long unixTime, string expected) =>
        Assert.That(Rfc6238Totp.Code(_seed, _totp.StepAt(DateTimeOffset.FromUnixTimeSeconds(unixTime))), Is.EqualTo(expected));

    [Test]
    public void A_code_matches_its_step_and_one_either_side_and_only_above_the_last_used()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1234567890);
        var step = _totp.StepAt(now);
        Assert.Multiple(() =>
        {
            Assert.That(_totp.MatchStep(_seed, Rfc6238Totp.Code(_seed, step), now, 0), Is.EqualTo(step));
            Assert.That(_totp.MatchStep(_seed, Rfc6238Totp.Code(_seed, step - 1), now, 0), Is.EqualTo(step - 1));
            Assert.That(_totp.MatchStep(_seed, Rfc6238Totp.Code(_seed, step + 1), now, 0), Is.EqualTo(step + 1));
            Assert.That(_totp.MatchStep(_seed, Rfc6238Totp.Code(_seed, step - 2), now, 0), Is.Null);
            Assert.That(_totp.MatchStep(_seed, Rfc6238Totp.Code(_seed, step + 2), now, 0), Is.Null);
            Assert.That(_totp.MatchStep(_seed, Rfc6238Totp.Code(_seed, step), now, step), Is.Null, "the step was used");
            Assert.That(_totp.MatchStep(_seed, Rfc6238Totp.Code(_seed, step - 1), now, step), Is.Null, "a step before the last used");
        });
    }

    [Test]
    public void A_new_secret_has_160_random_bits()
    {
        var (first, second) = (_totp.NewSecret(), _totp.NewSecret());
        Assert.That(first, Has.Length.EqualTo(20).And.Not.EqualTo(second));
    }
}
