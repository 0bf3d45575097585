using Microsoft.Extensions.Time.Testing;

namespace Paseto.Auth.Paseto.Tests;

public sealed class KeyRingTests
{
    private static readonly DateTimeOffset _now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly PasetoValidationOptions _options = new() { Issuer = "iss", Audience = "aud" };

    [Test]
    public void After_rotation_the_new_key_signs_and_the_old_key_still_verifies()
    {
        var oldKey = AsymmetricSecretKey.Generate();
        var newKey = AsymmetricSecretKey.Generate();
        var before = Format(KeyRing.ForPublic([oldKey]));
        var after = Format(KeyRing.ForPublic([newKey, oldKey]));
        var oldToken = before.Encode(Claims());
        var newToken = after.Encode(Claims());

        Assert.Multiple(() =>
        {
            Assert.That(after.Keys.CurrentKeyId, Is.EqualTo(newKey.PublicKey.Id));
            Assert.That(newToken, Does.EndWith(Footer(newKey.PublicKey.Id)));
            Assert.That(after.TryDecode(oldToken, out _, out var e1), Is.True, e1.ToString());
            Assert.That(after.TryDecode(newToken, out _, out var e2), Is.True, e2.ToString());
            Assert.That(before.TryDecode(newToken, out _, out var e3), Is.False);
            Assert.That(e3, Is.EqualTo(PasetoTokenError.UnknownKey));
        });
    }

    [Test]
    public void After_rotation_the_new_local_key_encrypts_and_the_old_key_still_decrypts()
    {
        var oldKey = SymmetricKey.Generate();
        var newKey = SymmetricKey.Generate();
        var before = Format(KeyRing.ForLocal([oldKey]));
        var after = Format(KeyRing.ForLocal([newKey, oldKey]));
        var removed = Format(KeyRing.ForLocal([newKey]));
        var oldToken = before.Encode(Claims());

        Assert.Multiple(() =>
        {
            Assert.That(after.Keys.CurrentKeyId, Is.EqualTo(newKey.Id));
            Assert.That(after.Encode(Claims()), Does.EndWith(Footer(newKey.Id)));
            Assert.That(after.TryDecode(oldToken, out _, out _), Is.True);
            Assert.That(removed.TryDecode(oldToken, out _, out var error), Is.False);
            Assert.That(error, Is.EqualTo(PasetoTokenError.UnknownKey));
        });
    }

    [Test]
    public void A_verification_ring_of_public_keys_verifies_but_cannot_sign()
    {
        var secret = AsymmetricSecretKey.Generate();
        var token = Format(KeyRing.ForPublic([secret])).Encode(Claims());
        var verifier = Format(KeyRing.ForVerification([AsymmetricPublicKey.ParsePaserk(secret.PublicKey.ToPaserk())]));

        Assert.Multiple(() =>
        {
            Assert.That(verifier.Keys.CanIssue, Is.False);
            Assert.That(verifier.TryDecode(token, out _, out var error), Is.True, error.ToString());
            Assert.Throws<InvalidOperationException>(() => verifier.Encode(Claims()));
        });
    }

    [Test]
    public void A_ring_is_built_from_configured_paserks_newest_first()
    {
        var newest = SymmetricKey.Generate();
        var older = SymmetricKey.Generate();

        var ring = KeyRing.FromPaserks([newest.ToPaserk(), older.ToPaserk()]);

        Assert.Multiple(() =>
        {
            Assert.That(ring.Purpose, Is.EqualTo(PasetoPurpose.Local));
            Assert.That(ring.KeyIds, Is.EqualTo(new[] { newest.Id, older.Id }));
            Assert.That(ring.PublicKeys, Is.Empty);
            Assert.That(ring.CanIssue, Is.True);
        });
    }

    [Test]
    public void A_public_ring_from_paserks_may_keep_retired_keys_as_public_keys_only()
    {
        var current = AsymmetricSecretKey.Generate();
        var retired = AsymmetricSecretKey.Generate().PublicKey;

        var ring = KeyRing.FromPaserks([current.ToPaserk(), retired.ToPaserk()]);

        Assert.Multiple(() =>
        {
            Assert.That(ring.Purpose, Is.EqualTo(PasetoPurpose.Public));
            Assert.That(ring.CanIssue, Is.True);
            Assert.That(ring.KeyIds, Is.EqualTo(new[] { current.PublicKey.Id, retired.Id }));
            Assert.That(ring.PublicKeys.Select(k => k.ToPaserk()), Is.EqualTo(new[] { current.PublicKey.ToPaserk(), retired.ToPaserk() }));
        });
    }

    [Test]
    public void Mixed_purposes_are_refused()
    {
        var ex = Assert.Throws<FormatException>(() => KeyRing.FromPaserks([SymmetricKey.Generate().ToPaserk(), AsymmetricSecretKey.Generate().ToPaserk()]));

        Assert.That(ex!.Message, Does.Contain("Key 1"));
    }

    [Test]
    public void An_invalid_paserk_is_refused_without_echoing_it()
    {
        var secret = SymmetricKey.Generate().ToPaserk();
        var broken = secret[..^1];

        var ex = Assert.Throws<FormatException>(() => KeyRing.FromPaserks([broken]));

        Assert.That(ex!.Message, Does.Not.Contain(broken[9..]));
    }

    [Test]
    public void Duplicate_and_missing_keys_are_refused()
    {
        var key = SymmetricKey.Generate();

        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentException>(() => KeyRing.ForLocal([key, SymmetricKey.ParsePaserk(key.ToPaserk())]));
            Assert.Throws<ArgumentException>(() => KeyRing.ForLocal([]));
            Assert.Throws<FormatException>(() => KeyRing.FromPaserks([]));
        });
    }

    private static string Footer(string kid) => PasetoBase64Url.Encode(System.Text.Encoding.UTF8.GetBytes($"{{\"kid\":\"{kid}\"}}"));

    private static PasetoTokenFormat<PasetoClaims> Format(KeyRing ring) => PasetoTokenFormat.Create(ring, _options, new FakeTimeProvider(_now));

    private static PasetoClaims Claims() => new()
    {
        Issuer = "iss",
        Audience = "aud",
        Subject = "1",
        TokenId = "j",
        IssuedAt = _now,
        NotBefore = _now,
        Expiration = _now.AddMinutes(5),
    };
}
