using System.Security.Cryptography;
using Paseto.Auth.Infrastructure.Security;
using Paseto.Auth.Paseto;

namespace Paseto.Auth.UnitTests.SecondFactor;

/// <summary>The AEAD that keeps TOTP secrets: XChaCha20-Poly1305 bound to user and factor, with rotatable keys.</summary>
public sealed class FactorSecretSealerTests
{
    private static readonly byte[] _secret = RandomNumberGenerator.GetBytes(20);
    private readonly Guid _factor = Guid.NewGuid();

    [Test]
    public void A_sealed_secret_opens_to_itself_and_does_not_contain_it()
    {
        var sealer = new FactorSecretSealer([SymmetricKey.Generate()]);
        var sealedSecret = sealer.Seal(_secret, 7, _factor);
        var opened = sealer.Open(sealedSecret, 7, _factor);
        Assert.Multiple(() =>
        {
            Assert.That(opened.Secret, Is.EqualTo(_secret));
            Assert.That(opened.Resealed, Is.Null, "sealed under the newest key already");
            Assert.That(sealedSecret.Ciphertext, Has.Length.EqualTo(24 + 20 + 16));
            Assert.That(Convert.ToHexString(sealedSecret.Ciphertext), Does.Not.Contain(Convert.ToHexString(_secret)));
            Assert.That(sealer.Seal(_secret, 7, _factor).Ciphertext, Is.Not.EqualTo(sealedSecret.Ciphertext), "a fresh nonce each time");
        });
    }

    [Test]
    public void A_flipped_bit_anywhere_is_refused()
    {
        var sealer = new FactorSecretSealer([SymmetricKey.Generate()]);
        var sealedSecret = sealer.Seal(_secret, 7, _factor);
        for (var i = 0; i < sealedSecret.Ciphertext.Length; i++)
        {
            var tampered = (byte[])sealedSecret.Ciphertext.Clone();
            tampered[i] ^= 0x01;
            Assert.Throws(Is.InstanceOf<CryptographicException>(), () => sealer.Open(sealedSecret with { Ciphertext = tampered }, 7, _factor), $"byte {i}");
        }
    }

    [Test]
    public void Another_user_or_factor_as_associated_data_is_refused()
    {
        var sealer = new FactorSecretSealer([SymmetricKey.Generate()]);
        var sealedSecret = sealer.Seal(_secret, 7, _factor);
        Assert.Multiple(() =>
        {
            Assert.Throws(Is.InstanceOf<CryptographicException>(), () => sealer.Open(sealedSecret, 8, _factor));
            Assert.Throws(Is.InstanceOf<CryptographicException>(), () => sealer.Open(sealedSecret, 7, Guid.NewGuid()));
        });
    }

    [Test]
    public void After_a_rotation_the_old_key_opens_and_the_secret_is_resealed_under_the_new()
    {
        var (oldKey, newKey) = (SymmetricKey.Generate(), SymmetricKey.Generate());
        var sealedSecret = new FactorSecretSealer([oldKey]).Seal(_secret, 7, _factor);
        var rotated = new FactorSecretSealer([newKey, oldKey]);
        var opened = rotated.Open(sealedSecret, 7, _factor);
        Assert.That(opened.Secret, Is.EqualTo(_secret));
        Assert.That(opened.Resealed, Is.Not.Null);
        Assert.That(opened.Resealed!.KeyId, Is.EqualTo(newKey.Id));
        Assert.That(new FactorSecretSealer([newKey]).Open(opened.Resealed, 7, _factor).Secret, Is.EqualTo(_secret), "the old key may go now");
    }

    [Test]
    public void A_secret_of_a_key_no_longer_configured_is_refused_naming_the_key_id_only()
    {
        var gone = SymmetricKey.Generate();
        var sealedSecret = new FactorSecretSealer([gone]).Seal(_secret, 7, _factor);
        var error = Assert.Throws<CryptographicException>(() => new FactorSecretSealer([SymmetricKey.Generate()]).Open(sealedSecret, 7, _factor));
        Assert.That(error!.Message, Does.Contain(gone.Id).And.Not.Contain(gone.ToPaserk()));
    }
}
