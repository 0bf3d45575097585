using System.Text;
using Microsoft.Extensions.Time.Testing;

namespace Paseto.Auth.Paseto.Tests;

[TestFixture(PasetoPurpose.Local)]
[TestFixture(PasetoPurpose.Public)]
public sealed class PasetoTokenFormatTests(PasetoPurpose purpose)
{
    private const string Issuer = "https://auth.example";
    private const string Audience = "paseto-auth";

    private static readonly DateTimeOffset _now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private FakeTimeProvider _time = null!;
    private KeyRing _keys = null!;
    private PasetoTokenFormat<PasetoClaims> _format = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider(_now);
        _keys = NewRing(purpose);
        _format = NewFormat(_keys);
    }

    [Test]
    public void Encoded_claims_decode_to_the_same_claims()
    {
        var claims = ValidClaims();

        var token = _format.Encode(claims);
        var ok = _format.TryDecode(token, out var decoded, out var error);

        Assert.Multiple(() =>
        {
            Assert.That(error, Is.EqualTo(PasetoTokenError.None));
            Assert.That(ok, Is.True);
            Assert.That(decoded, Is.EqualTo(claims));
            Assert.That(token, Does.StartWith(purpose == PasetoPurpose.Local ? "v4.local." : "v4.public."));
        });
    }

    [Test]
    public void The_footer_is_exactly_the_kid_of_the_current_key()
    {
        var token = _format.Encode(ValidClaims());

        var footer = Encoding.UTF8.GetString(DecodeBase64(token[(token.LastIndexOf('.') + 1)..]));

        Assert.That(footer, Is.EqualTo($"{{\"kid\":\"{_keys.CurrentKeyId}\"}}"));
        Assert.That(_keys.CurrentKeyId, Does.StartWith(purpose == PasetoPurpose.Local ? "k4.lid." : "k4.pid."));
    }

    [Test]
    public void Times_are_written_as_rfc3339_utc()
    {
        var token = _format.Encode(ValidClaims() with { Expiration = new DateTimeOffset(2026, 11, 28, 13, 15, 0, TimeSpan.FromHours(1)) });

        Assert.That(PayloadJson(token), Does.Contain("\"exp\":\"2026-11-28T12:15:00Z\""));
    }

    [Test]
    public void A_token_expires_at_exp_plus_the_clock_skew()
    {
        var token = _format.Encode(ValidClaims());

        _time.SetUtcNow(_now.AddMinutes(15).AddSeconds(30).AddTicks(-1));
        var justBefore = Decode(token);
        _time.SetUtcNow(_now.AddMinutes(15).AddSeconds(30));
        var atTheEdge = Decode(token);

        Assert.Multiple(() =>
        {
            Assert.That(justBefore, Is.EqualTo(PasetoTokenError.None));
            Assert.That(atTheEdge, Is.EqualTo(PasetoTokenError.Expired));
        });
    }

    [Test]
    public void A_token_becomes_valid_at_nbf_minus_the_clock_skew()
    {
        var token = _format.Encode(ValidClaims() with { IssuedAt = _now, NotBefore = _now.AddMinutes(1) });

        _time.SetUtcNow(_now.AddSeconds(30).AddTicks(-1));
        var tooEarly = Decode(token);
        _time.SetUtcNow(_now.AddSeconds(30));
        var atTheEdge = Decode(token);

        Assert.Multiple(() =>
        {
            Assert.That(tooEarly, Is.EqualTo(PasetoTokenError.NotYetValid));
            Assert.That(atTheEdge, Is.EqualTo(PasetoTokenError.None));
        });
    }

    [Test]
    public void A_token_issued_in_the_future_beyond_the_skew_is_not_yet_valid()
    {
        var token = _format.Encode(ValidClaims() with { IssuedAt = _now.AddSeconds(31), NotBefore = _now });

        Assert.That(Decode(token), Is.EqualTo(PasetoTokenError.NotYetValid));
    }

    [Test]
    public void A_smaller_configured_skew_is_honoured()
    {
        var strict = NewFormat(_keys, TimeSpan.Zero);
        var token = strict.Encode(ValidClaims());

        _time.SetUtcNow(_now.AddMinutes(15));

        Assert.That(strict.TryDecode(token, out _, out var error), Is.False);
        Assert.That(error, Is.EqualTo(PasetoTokenError.Expired));
    }

    [Test]
    public void A_skew_above_thirty_seconds_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NewFormat(_keys, TimeSpan.FromSeconds(31)));
        Assert.Throws<ArgumentOutOfRangeException>(() => NewFormat(_keys, TimeSpan.FromSeconds(-1)));
    }

    [Test]
    public void A_wrong_issuer_is_refused()
    {
        Assert.That(Decode(_format.Encode(ValidClaims() with { Issuer = "https://evil.example" })), Is.EqualTo(PasetoTokenError.WrongIssuer));
    }

    [Test]
    public void A_wrong_audience_is_refused()
    {
        Assert.That(Decode(_format.Encode(ValidClaims() with { Audience = "someone-else" })), Is.EqualTo(PasetoTokenError.WrongAudience));
    }

    [TestCase("iss")]
    [TestCase("aud")]
    [TestCase("iat")]
    [TestCase("nbf")]
    [TestCase("exp")]
    public void A_missing_claim_is_refused(string claim)
    {
        var claims = claim switch
        {
            "iss" => ValidClaims() with { Issuer = null },
            "aud" => ValidClaims() with { Audience = null },
            "iat" => ValidClaims() with { IssuedAt = null },
            "nbf" => ValidClaims() with { NotBefore = null },
            _ => ValidClaims() with { Expiration = null },
        };

        Assert.That(Decode(_format.Encode(claims)), Is.EqualTo(PasetoTokenError.MissingClaims));
    }

    [Test]
    public void A_missing_claim_is_refused_before_the_times_are_compared()
    {
        var token = _format.Encode(ValidClaims() with { Issuer = null });

        _time.SetUtcNow(_now.AddDays(1));

        Assert.That(Decode(token), Is.EqualTo(PasetoTokenError.MissingClaims));
    }

    [Test]
    public void The_subject_and_token_id_are_not_required_by_the_registered_claims_alone()
    {
        Assert.That(Decode(_format.Encode(ValidClaims() with { Subject = null, TokenId = null })), Is.EqualTo(PasetoTokenError.None));
    }

    [Test]
    public void A_token_from_an_unknown_key_is_refused()
    {
        var stranger = NewFormat(NewRing(purpose));

        Assert.That(Decode(stranger.Encode(ValidClaims())), Is.EqualTo(PasetoTokenError.UnknownKey));
    }

    [Test]
    public void A_token_of_the_other_purpose_is_refused()
    {
        var other = NewFormat(NewRing(purpose == PasetoPurpose.Local ? PasetoPurpose.Public : PasetoPurpose.Local));

        Assert.That(Decode(other.Encode(ValidClaims())), Is.EqualTo(PasetoTokenError.WrongPurpose));
    }

    [Test]
    public void A_token_made_with_another_key_but_naming_ours_fails_authentication()
    {
        var payload = "{\"iss\":\"x\"}"u8.ToArray();
        var footer = Encoding.UTF8.GetBytes($"{{\"kid\":\"{_keys.CurrentKeyId}\"}}");
        var forged = purpose == PasetoPurpose.Local
            ? PasetoV4Local.Encrypt(SymmetricKey.Generate(), payload, footer)
            : PasetoV4Public.Sign(AsymmetricSecretKey.Generate(), payload, footer);

        Assert.That(Decode(forged), Is.EqualTo(PasetoTokenError.InvalidSignature));
    }

    [TestCase("", TestName = "A_token_without_footer_is_malformed")]
    [TestCase("{\"kid\": \"{0}\"}", TestName = "A_footer_with_whitespace_is_malformed")]
    [TestCase("{\"kid\":\"{0}\",\"x\":1}", TestName = "A_footer_with_another_field_is_malformed")]
    [TestCase("{\"KID\":\"{0}\"}", TestName = "A_footer_with_another_name_is_malformed")]
    [TestCase("{0}", TestName = "A_footer_that_is_only_the_kid_is_malformed")]
    public void Footers_other_than_exactly_the_kid_object_are_refused(string footerTemplate)
    {
        var footer = Encoding.UTF8.GetBytes(footerTemplate.Replace("{0}", _keys.CurrentKeyId, StringComparison.Ordinal));
        var token = MakeToken(ValidJson(), footer);

        Assert.That(Decode(token), Is.EqualTo(PasetoTokenError.Malformed));
    }

    [Test]
    public void An_oversized_footer_is_refused_before_it_is_decoded()
    {
        var footer = Encoding.UTF8.GetBytes($"{{\"kid\":\"{new string('x', PasetoLimits.MaxKeyRingFooterLength)}\"}}");

        Assert.That(Decode(MakeToken(ValidJson(), footer)), Is.EqualTo(PasetoTokenError.Malformed));
    }

    [Test]
    public void An_oversized_token_is_refused()
    {
        var token = _format.Encode(ValidClaims());
        var padded = token[..token.LastIndexOf('.')] + new string('A', PasetoLimits.MaxTokenLength) + token[token.LastIndexOf('.')..];

        Assert.That(Decode(padded), Is.EqualTo(PasetoTokenError.TooLarge));
    }

    [Test]
    public void Claims_that_would_make_an_oversized_token_are_not_encoded()
    {
        Assert.Throws<InvalidOperationException>(() => _format.Encode(ValidClaims() with { Subject = new string('u', PasetoLimits.MaxTokenLength) }));
    }

    [Test]
    public void A_padded_payload_is_refused()
    {
        var token = _format.Encode(ValidClaims());
        var dot = token.LastIndexOf('.');

        Assert.That(Decode(token[..dot] + "=" + token[dot..]), Is.EqualTo(PasetoTokenError.Malformed));
    }

    [Test]
    public void Every_changed_character_is_refused()
    {
        var token = _format.Encode(ValidClaims());
        var accepted = new List<int>();
        for (var i = 0; i < token.Length; i++)
        {
            var chars = token.ToCharArray();
            chars[i] = chars[i] == 'A' ? 'B' : 'A';
            if (Decode(new string(chars)) == PasetoTokenError.None)
            {
                accepted.Add(i);
            }
        }

        Assert.That(accepted, Is.Empty);
    }

    [Test]
    public void An_authentic_payload_with_duplicate_claims_is_refused()
    {
        var json = ValidJson().Replace("\"iss\":", "\"exp\":\"2099-01-01T00:00:00Z\",\"iss\":", StringComparison.Ordinal);

        Assert.That(Decode(MakeToken(json, CurrentFooter())), Is.EqualTo(PasetoTokenError.InvalidClaims));
    }

    [TestCase("[]")]
    [TestCase("null")]
    [TestCase("not json")]
    [TestCase("{\"iss\":1}")]
    [TestCase("{\"exp\":\"2026-11-28T12:00:00\"}")]
    [TestCase("{\"aud\":[\"paseto-auth\"]}")]
    public void An_authentic_payload_that_is_not_a_claims_object_is_refused(string json)
    {
        Assert.That(Decode(MakeToken(json, CurrentFooter())), Is.EqualTo(PasetoTokenError.InvalidClaims));
    }

    [Test]
    public void Offsets_other_than_utc_are_read_as_the_same_instant()
    {
        var json = ValidJson().Replace("\"exp\":\"2026-11-28T12:15:00+00:00\"", "\"exp\":\"2026-11-28T07:15:00-05:00\"", StringComparison.Ordinal);
        Assert.That(json, Does.Contain("-05:00"));

        var ok = _format.TryDecode(MakeToken(json, CurrentFooter()), out var claims, out var error);

        Assert.Multiple(() =>
        {
            Assert.That(ok, Is.True, error.ToString());
            Assert.That(claims!.Expiration, Is.EqualTo(_now.AddMinutes(15)));
            Assert.That(claims.Expiration!.Value.Offset, Is.EqualTo(TimeSpan.Zero));
        });
    }

    [Test]
    public void Unknown_claims_are_ignored()
    {
        var json = ValidJson().Replace("{", "{\"extra\":{\"nested\":[1,2]},", StringComparison.Ordinal);

        Assert.That(Decode(MakeToken(json, CurrentFooter())), Is.EqualTo(PasetoTokenError.None));
    }

    private static KeyRing NewRing(PasetoPurpose ringPurpose) => ringPurpose == PasetoPurpose.Local
        ? KeyRing.ForLocal([SymmetricKey.Generate()])
        : KeyRing.ForPublic([AsymmetricSecretKey.Generate()]);

    private static PasetoClaims ValidClaims() => new()
    {
        Issuer = Issuer,
        Audience = Audience,
        Subject = "42",
        TokenId = "b0b6f1f4-1d7c-4c8e-8c5e-1d2c3b4a5f60",
        IssuedAt = _now,
        NotBefore = _now,
        Expiration = _now.AddMinutes(15),
    };

    private static string ValidJson() =>
        "{\"iss\":\"https://auth.example\",\"aud\":\"paseto-auth\",\"sub\":\"42\",\"jti\":\"j\","
        + "\"iat\":\"2026-11-28T12:00:00Z\",\"nbf\":\"2026-11-28T12:00:00Z\",\"exp\":\"2026-11-28T12:15:00+00:00\"}";

    private static byte[] DecodeBase64(string encoded)
    {
        var bytes = new byte[PasetoBase64Url.GetDecodedLength(encoded.Length)];
        Assert.That(PasetoBase64Url.TryDecode(encoded, bytes, out _), Is.True);
        return bytes;
    }

    private PasetoTokenFormat<PasetoClaims> NewFormat(KeyRing keys, TimeSpan? skew = null) =>
        PasetoTokenFormat.Create(keys, new PasetoValidationOptions { Issuer = Issuer, Audience = Audience, ClockSkew = skew ?? PasetoValidationOptions.MaxClockSkew }, _time);

    private PasetoTokenError Decode(string token)
    {
        _format.TryDecode(token, out var claims, out var error);
        Assert.That(claims is null, Is.EqualTo(error != PasetoTokenError.None), "claims are given exactly when the token is accepted");
        return error;
    }

    private string PayloadJson(string token)
    {
        byte[] message;
        var ok = _keys.Current.LocalKey is { } localKey
            ? PasetoV4Local.TryDecrypt(token, localKey, [], out message, out _, out _)
            : PasetoV4Public.TryVerify(token, _keys.Current.PublicKey!, [], out message, out _, out _);
        Assert.That(ok, Is.True);
        return Encoding.UTF8.GetString(message);
    }

    private byte[] CurrentFooter() => Encoding.UTF8.GetBytes($"{{\"kid\":\"{_keys.CurrentKeyId}\"}}");

    /// <summary>A token made with the ring's current key from arbitrary payload and footer bytes.</summary>
    private string MakeToken(string json, byte[] footer) => _keys.Current.LocalKey is { } localKey
        ? PasetoV4Local.Encrypt(localKey, Encoding.UTF8.GetBytes(json), footer)
        : PasetoV4Public.Sign(_keys.Current.SecretKey!, Encoding.UTF8.GetBytes(json), footer);
}
