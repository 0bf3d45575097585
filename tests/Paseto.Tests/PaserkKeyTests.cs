
namespace Paseto.Auth.Paseto.Tests;

public sealed class PaserkKeyTests
{
    [Test]
    public void Generated_keys_round_trip_through_their_paserk()
    {
        var local = SymmetricKey.Generate();
        var secret = AsymmetricSecretKey.Generate();

        Assert.Multiple(() =>
        {
            Assert.That(SymmetricKey.ParsePaserk(local.ToPaserk()).Id, Is.EqualTo(local.Id));
            Assert.That(AsymmetricSecretKey.ParsePaserk(secret.ToPaserk()).Id, Is.EqualTo(secret.Id));
            Assert.That(AsymmetricSecretKey.ParsePaserk(secret.ToPaserk()).PublicKey.Id, Is.EqualTo(secret.PublicKey.Id));
            Assert.That(local.Id, Does.StartWith("k4.lid.").And.Length.EqualTo(7 + 44));
            Assert.That(secret.Id, Does.StartWith("k4.sid.").And.Length.EqualTo(7 + 44));
            Assert.That(secret.PublicKey.Id, Does.StartWith("k4.pid.").And.Length.EqualTo(7 + 44));
        });
    }

    [Test]
    public void Two_generated_keys_differ()
    {
        var first = SymmetricKey.Generate();
        var second = SymmetricKey.Generate();

        Assert.That(first.ToPaserk(), Is.Not.EqualTo(second.ToPaserk()));
    }

    [Test]
    public void ToString_shows_the_id_and_never_the_key()
    {
        var local = SymmetricKey.Generate();
        var secret = AsymmetricSecretKey.Generate();

        Assert.Multiple(() =>
        {
            Assert.That(local.ToString(), Is.EqualTo(local.Id));
            Assert.That(secret.ToString(), Is.EqualTo(secret.Id));
        });
    }

    [Test]
    public void A_secret_key_whose_public_half_does_not_match_its_seed_is_refused()
    {
        var bytes = KeyBytes(AsymmetricSecretKey.Generate().ToPaserk(), "k4.secret.");
        bytes[^1] ^= 1;

        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentException>(() => AsymmetricSecretKey.FromBytes(bytes));
            Assert.That(AsymmetricSecretKey.TryParsePaserk("k4.secret." + PasetoBase64Url.Encode(bytes), out _), Is.False);
        });
    }

    [TestCase("k4.local.")]
    [TestCase("k4.local.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [TestCase("k4.local.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB")]
    [TestCase("k4.local.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [TestCase("k4.local.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [TestCase("K4.local.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [TestCase("k4.public.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [TestCase("k2.local.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [TestCase(" k4.local.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [TestCase("k4.local.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA ")]
    [TestCase("k4.local.AAAAAAAAAAAAAAAAAAAAA+AAAAAAAAAAAAAAAAAAAAA")]
    public void Malformed_local_paserks_are_refused(string paserk)
    {
        Assert.Multiple(() =>
        {
            Assert.That(SymmetricKey.TryParsePaserk(paserk, out var key), Is.False);
            Assert.That(key, Is.Null);
        });
    }

    [Test]
    public void A_valid_all_zero_local_paserk_parses()
    {
        Assert.That(SymmetricKey.TryParsePaserk("k4.local.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", out _), Is.True);
    }

    [Test]
    public void Parse_errors_do_not_repeat_the_input()
    {
        const string Input = "k4.local.c2VjcmV0LXRoYXQtbXVzdC1ub3QtbGVhaw";

        var ex = Assert.Throws<FormatException>(() => SymmetricKey.ParsePaserk(Input));

        Assert.That(ex!.Message, Does.Not.Contain("c2VjcmV0"));
    }

    private static byte[] KeyBytes(string paserk, string prefix)
    {
        var encoded = paserk[prefix.Length..];
        var bytes = new byte[PasetoBase64Url.GetDecodedLength(encoded.Length)];
        Assert.That(PasetoBase64Url.TryDecode(encoded, bytes, out _), Is.True);
        return bytes;
    }
}
