using Microsoft.Extensions.Time.Testing;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Infrastructure.Tokens;

namespace Paseto.Auth.UnitTests.Tokens;

public sealed class VerifiedTokenCacheTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    private InspectedAccessToken Token(TimeSpan lifetime) => new(
        new AccessTokenSubject(7, "alice", "member", Guid.NewGuid()), "paseto-auth", "paseto-auth", "jti", _time.GetUtcNow(), _time.GetUtcNow() + lifetime);

    [Test]
    public void A_verified_token_is_served_until_just_before_its_exp_and_never_after()
    {
        var cache = new VerifiedTokenCache(10, _time);
        var inspected = Token(TimeSpan.FromMinutes(15));
        cache.Add("v4.public.token", inspected);

        _time.Advance(TimeSpan.FromMinutes(15) - TimeSpan.FromTicks(1));
        Assert.That(cache.TryGet("v4.public.token", out var found), Is.True);
        Assert.That(found, Is.SameAs(inspected));

        _time.Advance(TimeSpan.FromTicks(1));
        Assert.That(cache.TryGet("v4.public.token", out _), Is.False, "at exp the full check decides (skew, expired)");
    }

    [Test]
    public void Only_the_exact_token_text_is_found()
    {
        var cache = new VerifiedTokenCache(10, _time);
        cache.Add("v4.public.token", Token(TimeSpan.FromMinutes(15)));

        Assert.Multiple(() =>
        {
            Assert.That(cache.TryGet("v4.public.tokeN", out _), Is.False);
            Assert.That(cache.TryGet("v4.public.token ", out _), Is.False);
            Assert.That(cache.TryGet("v4.public.\uD800token", out _), Is.False);
        });
    }

    [Test]
    public void A_full_cache_keeps_no_more_until_expired_entries_are_swept()
    {
        var cache = new VerifiedTokenCache(2, _time);
        cache.Add("a", Token(TimeSpan.FromMinutes(1)));
        cache.Add("b", Token(TimeSpan.FromMinutes(10)));
        cache.Add("c", Token(TimeSpan.FromMinutes(10)));
        Assert.That(cache.TryGet("c", out _), Is.False, "full");

        _time.Advance(TimeSpan.FromMinutes(2));
        cache.Add("c", Token(TimeSpan.FromMinutes(10)));

        Assert.That(cache.TryGet("c", out _), Is.True, "the expired entry made room");
        Assert.That(cache.TryGet("b", out _), Is.True);
    }
}
