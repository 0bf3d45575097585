using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Paseto.Auth.Contracts;
using Paseto.Auth.Paseto;

namespace Paseto.Auth.UnitTests.Tokens;

/// <summary>The access token's own claims, carried over the library's registered ones (DESIGN §4).</summary>
public sealed class AccessTokenClaimsTests
{
    private static readonly DateTimeOffset _now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private FakeTimeProvider _time = null!;
    private PasetoTokenFormat<AccessTokenClaims> _format = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider(_now);
        _format = AccessTokenClaims.Format(
            KeyRing.ForLocal([SymmetricKey.Generate()]),
            new PasetoValidationOptions { Issuer = "paseto-auth", Audience = "paseto-auth" },
            _time);
    }

    [Test]
    public void The_ten_claims_are_written_under_their_designed_names()
    {
        var json = Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(ValidClaims(), AccessTokenJsonContext.Default.AccessTokenClaims));

        using var document = JsonDocument.Parse(json);
        Assert.Multiple(() =>
        {
            Assert.That(document.RootElement.EnumerateObject().Select(p => p.Name),
                Is.EquivalentTo(new[] { "iss", "aud", "sub", "sid", "jti", "iat", "nbf", "exp", "role", "username" }));
            Assert.That(document.RootElement.GetProperty("exp").GetString(), Is.EqualTo("2026-11-28T12:15:00Z"));
        });
    }

    [Test]
    public void An_access_token_decodes_to_the_same_claims()
    {
        var claims = ValidClaims();

        Assert.That(_format.TryDecode(_format.Encode(claims), out var decoded, out var error), Is.True, error.ToString());
        Assert.That(decoded, Is.EqualTo(claims));
    }

    [TestCase("sub", null)]
    [TestCase("sub", "")]
    [TestCase("jti", null)]
    [TestCase("sid", null)]
    [TestCase("sid", "")]
    [TestCase("role", null)]
    [TestCase("role", "")]
    [TestCase("username", null)]
    [TestCase("username", "")]
    public void A_missing_or_empty_access_token_claim_is_refused(string claim, string? value)
    {
        var claims = claim switch
        {
            "sub" => ValidClaims() with { Subject = value },
            "jti" => ValidClaims() with { TokenId = value },
            "sid" => ValidClaims() with { SessionId = value },
            "role" => ValidClaims() with { Role = value },
            _ => ValidClaims() with { Username = value },
        };

        Assert.That(_format.TryDecode(_format.Encode(claims), out var decoded, out var error), Is.False);
        Assert.Multiple(() =>
        {
            Assert.That(error, Is.EqualTo(PasetoTokenError.MissingClaims));
            Assert.That(decoded, Is.Null);
        });
    }

    [Test]
    public void A_token_missing_a_claim_is_refused_as_such_even_once_expired()
    {
        var token = _format.Encode(ValidClaims() with { SessionId = null });

        _time.SetUtcNow(_now.AddHours(1));

        Assert.That(_format.TryDecode(token, out _, out var error), Is.False);
        Assert.That(error, Is.EqualTo(PasetoTokenError.MissingClaims));
    }

    private static AccessTokenClaims ValidClaims() => new()
    {
        Issuer = "paseto-auth",
        Audience = "paseto-auth",
        Subject = "42",
        SessionId = "6f1c2a52-3a8e-4a5e-9a43-0c3d3b1a9f10",
        TokenId = "0193f0a0-7c1e-7000-8000-000000000001",
        IssuedAt = _now,
        NotBefore = _now,
        Expiration = _now.AddMinutes(15),
        Role = "member",
        Username = "alice",
    };
}
