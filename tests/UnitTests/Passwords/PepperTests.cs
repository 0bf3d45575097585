using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Infrastructure;
using Paseto.Auth.Infrastructure.Security;
using Paseto.Auth.Paseto;

namespace Paseto.Auth.UnitTests.Passwords;

public sealed class PepperTests
{
    private const string Password = "correct horse battery staple";
    private static readonly string _oldPepper = SymmetricKey.Generate().ToPaserk();
    private static readonly string _newPepper = SymmetricKey.Generate().ToPaserk();

    private static Argon2idPasswordHasher Hasher(params string[] peppers) => Argon2idPasswordHasher.Create(new PasswordHashingOptions
    {
        MemoryKiB = 1024,
        Iterations = 1,
        Peppers = peppers,
    });

    [Test]
    public async Task A_peppered_hash_names_its_pepper_and_verifies_only_with_it()
    {
        using var peppered = Hasher(_newPepper);
        using var otherPepper = Hasher(_oldPepper);
        using var noPepper = Hasher();

        var hash = await peppered.HashAsync(Password, default);

        Assert.That(hash, Does.Match(@"^\$argon2id\$v=19\$m=1024,t=1,p=1,keyid=[A-Za-z0-9+/]{11}\$"));
        Assert.That(await peppered.VerifyAsync(Password, hash, default), Is.EqualTo(PasswordVerification.Succeeded));
        Assert.That(await peppered.VerifyAsync("wrong password here", hash, default), Is.EqualTo(PasswordVerification.Failed));
        Assert.That(await otherPepper.VerifyAsync(Password, hash, default), Is.EqualTo(PasswordVerification.Failed), "unknown pepper fails closed");
        Assert.That(await noPepper.VerifyAsync(Password, hash, default), Is.EqualTo(PasswordVerification.Failed));
    }

    [Test]
    public async Task The_pepper_changes_the_hash_itself()
    {
        using var peppered = Hasher(_newPepper);
        using var plain = Hasher();
        var hash = await peppered.HashAsync(Password, default);

        // Same salt and parameters, pepper removed: the password alone no longer matches.
        var stripped = System.Text.RegularExpressions.Regex.Replace(hash, ",keyid=[^$]+", string.Empty);

        Assert.That(await plain.VerifyAsync(Password, stripped, default), Is.EqualTo(PasswordVerification.Failed));
    }

    [Test]
    public async Task A_hash_with_an_older_pepper_or_none_verifies_and_asks_for_a_rehash()
    {
        using var before = Hasher(_oldPepper);
        using var unpeppered = Hasher();
        using var rotated = Hasher(_newPepper, _oldPepper);
        var oldHash = await before.HashAsync(Password, default);
        var plainHash = await unpeppered.HashAsync(Password, default);

        Assert.That(await rotated.VerifyAsync(Password, oldHash, default), Is.EqualTo(PasswordVerification.SucceededNeedsRehash));
        Assert.That(await rotated.VerifyAsync(Password, plainHash, default), Is.EqualTo(PasswordVerification.SucceededNeedsRehash));
        var upgraded = await rotated.HashAsync(Password, default);
        Assert.That(await rotated.VerifyAsync(Password, upgraded, default), Is.EqualTo(PasswordVerification.Succeeded));
    }

    [Test]
    public void A_pepper_that_is_not_a_local_paserk_key_is_refused_without_echoing_it()
    {
        var error = Assert.Throws<ConfigurationException>(() => Hasher("k4.local.not-a-key"));

        Assert.That(error!.Message, Does.Contain("Auth:Passwords:Peppers:0").And.Not.Contain("not-a-key"));
    }
}
