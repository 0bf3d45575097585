
namespace Paseto.Auth.Paseto.Tests;

/// <summary>Changing any part of a token, or the key or implicit assertion, must make it fail.</summary>
public sealed class PasetoV4TamperingTests
{
    private static readonly byte[] _message = "{\"data\":\"tamper with me\",\"exp\":\"2039-01-01T00:00:00+00:00\"}"u8.ToArray();
    private static readonly byte[] _footer = "{\"kid\":\"k4.lid.example\"}"u8.ToArray();
    private static readonly byte[] _implicit = "bound-context"u8.ToArray();

    private static readonly SymmetricKey _localKey = SymmetricKey.Generate();
    private static readonly AsymmetricSecretKey _secretKey = AsymmetricSecretKey.Generate();

    private static string LocalToken => PasetoV4Local.Encrypt(_localKey, _message, _footer, _implicit);

    private static string PublicToken => PasetoV4Public.Sign(_secretKey, _message, _footer, _implicit);

    [Test]
    public void Untampered_tokens_decode()
    {
        Assert.Multiple(() =>
        {
            Assert.That(DecryptLocal(LocalToken, _localKey, _implicit), Is.EqualTo(PasetoTokenError.None));
            Assert.That(VerifyPublic(PublicToken, _secretKey.PublicKey, _implicit), Is.EqualTo(PasetoTokenError.None));
        });
    }

    [Test]
    public void Changing_any_character_of_a_local_token_fails()
    {
        AssertEveryCharacterMatters(LocalToken, t => DecryptLocal(t, _localKey, _implicit));
    }

    [Test]
    public void Changing_any_character_of_a_public_token_fails()
    {
        AssertEveryCharacterMatters(PublicToken, t => VerifyPublic(t, _secretKey.PublicKey, _implicit));
    }

    [Test]
    public void Flipping_any_bit_of_a_local_payload_or_footer_fails_authentication()
    {
        AssertEveryBitIsAuthenticated(LocalToken, PasetoToken.LocalHeader, t => DecryptLocal(t, _localKey, _implicit));
    }

    [Test]
    public void Flipping_any_bit_of_a_public_payload_or_footer_fails_the_signature()
    {
        AssertEveryBitIsAuthenticated(PublicToken, PasetoToken.PublicHeader, t => VerifyPublic(t, _secretKey.PublicKey, _implicit));
    }

    [Test]
    public void A_local_token_fails_with_another_key()
    {
        Assert.That(DecryptLocal(LocalToken, SymmetricKey.Generate(), _implicit), Is.EqualTo(PasetoTokenError.InvalidSignature));
    }

    [Test]
    public void A_public_token_fails_with_another_key()
    {
        Assert.That(VerifyPublic(PublicToken, AsymmetricSecretKey.Generate().PublicKey, _implicit), Is.EqualTo(PasetoTokenError.InvalidSignature));
    }

    [Test]
    public void A_different_implicit_assertion_fails()
    {
        Assert.Multiple(() =>
        {
            Assert.That(DecryptLocal(LocalToken, _localKey, "other"u8.ToArray()), Is.EqualTo(PasetoTokenError.InvalidSignature));
            Assert.That(DecryptLocal(LocalToken, _localKey, []), Is.EqualTo(PasetoTokenError.InvalidSignature));
            Assert.That(VerifyPublic(PublicToken, _secretKey.PublicKey, []), Is.EqualTo(PasetoTokenError.InvalidSignature));
        });
    }

    [Test]
    public void A_public_token_never_reaches_the_local_decoder_and_vice_versa()
    {
        Assert.Multiple(() =>
        {
            Assert.That(DecryptLocal(PublicToken, _localKey, _implicit), Is.EqualTo(PasetoTokenError.WrongPurpose));
            Assert.That(VerifyPublic(LocalToken, _secretKey.PublicKey, _implicit), Is.EqualTo(PasetoTokenError.WrongPurpose));
        });
    }

    [TestCase("v2.local.AAAA", PasetoTokenError.UnsupportedVersion)]
    [TestCase("v3.local.AAAA", PasetoTokenError.UnsupportedVersion)]
    [TestCase("v10.local.AAAA", PasetoTokenError.UnsupportedVersion)]
    [TestCase("v4.seal.AAAA", PasetoTokenError.WrongPurpose)]
    [TestCase("V4.local.AAAA", PasetoTokenError.Malformed)]
    [TestCase("v4.local", PasetoTokenError.Malformed)]
    [TestCase("v4..AAAA", PasetoTokenError.Malformed)]
    [TestCase("v4.local.", PasetoTokenError.Malformed)]
    [TestCase("", PasetoTokenError.Malformed)]
    [TestCase("bearer", PasetoTokenError.Malformed)]
    public void Foreign_or_broken_headers_are_refused(string token, PasetoTokenError expected)
    {
        Assert.That(DecryptLocal(token, _localKey, []), Is.EqualTo(expected));
    }

    [Test]
    public void An_empty_footer_after_a_dot_is_malformed()
    {
        var token = PasetoV4Local.Encrypt(_localKey, _message);

        Assert.That(DecryptLocal(token + ".", _localKey, []), Is.EqualTo(PasetoTokenError.Malformed));
    }

    [Test]
    public void A_third_segment_is_malformed()
    {
        Assert.That(DecryptLocal(LocalToken + ".AAAA", _localKey, _implicit), Is.EqualTo(PasetoTokenError.Malformed));
    }

    [Test]
    public void Padding_on_the_payload_or_footer_is_malformed()
    {
        var token = LocalToken;
        var dot = token.LastIndexOf('.');
        var paddedPayload = token[..dot] + "=" + token[dot..];
        var paddedFooter = token + "=";

        Assert.Multiple(() =>
        {
            Assert.That(DecryptLocal(paddedPayload, _localKey, _implicit), Is.EqualTo(PasetoTokenError.Malformed));
            Assert.That(DecryptLocal(paddedFooter, _localKey, _implicit), Is.EqualTo(PasetoTokenError.Malformed));
        });
    }

    [Test]
    public void A_payload_shorter_than_nonce_and_tag_is_malformed()
    {
        var tooShort = PasetoToken.LocalHeader + PasetoBase64Url.Encode(new byte[63]);

        Assert.That(DecryptLocal(tooShort, _localKey, []), Is.EqualTo(PasetoTokenError.Malformed));
    }

    [Test]
    public void A_token_over_the_size_limit_is_refused_before_decoding()
    {
        var huge = PasetoV4Local.Encrypt(_localKey, new byte[PasetoLimits.MaxTokenLength]);

        Assert.Multiple(() =>
        {
            Assert.That(huge, Has.Length.GreaterThan(PasetoLimits.MaxTokenLength));
            Assert.That(DecryptLocal(huge, _localKey, []), Is.EqualTo(PasetoTokenError.TooLarge));
            Assert.That(DecryptLocal(new string('A', PasetoLimits.MaxTokenLength + 1), _localKey, []), Is.EqualTo(PasetoTokenError.TooLarge));
        });
    }

    [Test]
    public void A_token_just_under_the_size_limit_uses_pooled_buffers_and_decodes()
    {
        var message = new byte[5_000];
        Random.Shared.NextBytes(message);
        var token = PasetoV4Local.Encrypt(_localKey, message, _footer, _implicit);

        var ok = PasetoV4Local.TryDecrypt(token, _localKey, _implicit, out var decrypted, out _, out var error);

        Assert.Multiple(() =>
        {
            Assert.That(token, Has.Length.LessThanOrEqualTo(PasetoLimits.MaxTokenLength));
            Assert.That(ok, Is.True, error.ToString());
            Assert.That(decrypted, Is.EqualTo(message));
        });
    }

    [Test]
    public void Two_encryptions_of_the_same_message_differ()
    {
        var first = LocalToken;
        var second = LocalToken;

        Assert.That(first, Is.Not.EqualTo(second));
    }

    [Test]
    public void An_empty_message_round_trips()
    {
        var local = PasetoV4Local.Encrypt(_localKey, []);
        var signed = PasetoV4Public.Sign(_secretKey, []);

        Assert.Multiple(() =>
        {
            Assert.That(PasetoV4Local.TryDecrypt(local, _localKey, [], out var m1, out _, out _), Is.True);
            Assert.That(m1, Is.Empty);
            Assert.That(PasetoV4Public.TryVerify(signed, _secretKey.PublicKey, [], out var m2, out _, out _), Is.True);
            Assert.That(m2, Is.Empty);
        });
    }

    private static PasetoTokenError DecryptLocal(string token, SymmetricKey key, byte[] implicitAssertion)
    {
        PasetoV4Local.TryDecrypt(token, key, implicitAssertion, out _, out _, out var error);
        return error;
    }

    private static PasetoTokenError VerifyPublic(string token, AsymmetricPublicKey key, byte[] implicitAssertion)
    {
        PasetoV4Public.TryVerify(token, key, implicitAssertion, out _, out _, out var error);
        return error;
    }

    private static void AssertEveryCharacterMatters(string token, Func<string, PasetoTokenError> decode)
    {
        var accepted = new List<int>();
        for (var i = 0; i < token.Length; i++)
        {
            var chars = token.ToCharArray();
            chars[i] = chars[i] == 'A' ? 'B' : 'A';
            if (decode(new string(chars)) == PasetoTokenError.None)
            {
                accepted.Add(i);
            }
        }

        Assert.That(accepted, Is.Empty, "positions whose change was accepted");
    }

    private static void AssertEveryBitIsAuthenticated(string token, string header, Func<string, PasetoTokenError> decode)
    {
        var parts = token[header.Length..].Split('.');
        var payload = Decode(parts[0]);
        var footer = Decode(parts[1]);
        var accepted = new List<string>();

        for (var i = 0; i < payload.Length * 8; i++)
        {
            var flipped = (byte[])payload.Clone();
            flipped[i / 8] ^= (byte)(1 << (i % 8));
            var error = decode(header + PasetoBase64Url.Encode(flipped) + "." + parts[1]);
            if (error != PasetoTokenError.InvalidSignature)
            {
                accepted.Add($"payload bit {i}: {error}");
            }
        }

        for (var i = 0; i < footer.Length * 8; i++)
        {
            var flipped = (byte[])footer.Clone();
            flipped[i / 8] ^= (byte)(1 << (i % 8));
            var error = decode(header + parts[0] + "." + PasetoBase64Url.Encode(flipped));
            if (error != PasetoTokenError.InvalidSignature)
            {
                accepted.Add($"footer bit {i}: {error}");
            }
        }

        Assert.That(accepted, Is.Empty);
    }

    private static byte[] Decode(string encoded)
    {
        var bytes = new byte[PasetoBase64Url.GetDecodedLength(encoded.Length)];
        Assert.That(PasetoBase64Url.TryDecode(encoded, bytes, out _), Is.True);
        return bytes;
    }
}
