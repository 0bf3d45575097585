
namespace Paseto.Auth.Paseto.Tests;

public sealed class PaserkK4VectorTests
{
    private static IEnumerable<TestCaseData> LocalVectors() => TestVectors.Paserk("local");

    private static IEnumerable<TestCaseData> LocalIdVectors() => TestVectors.Paserk("lid");

    private static IEnumerable<TestCaseData> PublicVectors() => TestVectors.Paserk("public");

    private static IEnumerable<TestCaseData> PublicIdVectors() => TestVectors.Paserk("pid");

    private static IEnumerable<TestCaseData> SecretVectors() => TestVectors.Paserk("secret");

    private static IEnumerable<TestCaseData> SecretIdVectors() => TestVectors.Paserk("sid");

    [TestCaseSource(nameof(LocalVectors))]
    public void K4_local_vector(PaserkVector vector)
    {
        if (vector.ExpectFail)
        {
            AssertRefused(vector, () => SymmetricKey.ParsePaserk(vector.Paserk!), () => SymmetricKey.FromBytes(Convert.FromHexString(vector.Key!)));
            Assert.That(vector.Paserk is null || !SymmetricKey.TryParsePaserk(vector.Paserk, out _), Is.True);
            return;
        }

        var key = SymmetricKey.FromBytes(Convert.FromHexString(vector.Key!));
        Assert.Multiple(() =>
        {
            Assert.That(key.ToPaserk(), Is.EqualTo(vector.Paserk));
            Assert.That(SymmetricKey.ParsePaserk(vector.Paserk!).ToPaserk(), Is.EqualTo(vector.Paserk));
        });
    }

    [TestCaseSource(nameof(LocalIdVectors))]
    public void K4_lid_vector(PaserkVector vector)
    {
        if (vector.ExpectFail)
        {
            Assert.Throws<ArgumentException>(() => SymmetricKey.FromBytes(Convert.FromHexString(vector.Key!)));
            return;
        }

        Assert.That(SymmetricKey.FromBytes(Convert.FromHexString(vector.Key!)).Id, Is.EqualTo(vector.Paserk));
    }

    [TestCaseSource(nameof(PublicVectors))]
    public void K4_public_vector(PaserkVector vector)
    {
        if (vector.ExpectFail)
        {
            AssertRefused(vector, () => AsymmetricPublicKey.ParsePaserk(vector.Paserk!), () => AsymmetricPublicKey.FromBytes(Convert.FromHexString(vector.Key!)));
            return;
        }

        var key = AsymmetricPublicKey.FromBytes(Convert.FromHexString(vector.Key!));
        Assert.Multiple(() =>
        {
            Assert.That(key.ToPaserk(), Is.EqualTo(vector.Paserk));
            Assert.That(AsymmetricPublicKey.ParsePaserk(vector.Paserk!).ToBytes(), Is.EqualTo(Convert.FromHexString(vector.Key!)));
        });
    }

    [TestCaseSource(nameof(PublicIdVectors))]
    public void K4_pid_vector(PaserkVector vector)
    {
        if (vector.ExpectFail)
        {
            Assert.Throws<ArgumentException>(() => AsymmetricPublicKey.FromBytes(Convert.FromHexString(vector.Key!)));
            return;
        }

        Assert.That(AsymmetricPublicKey.FromBytes(Convert.FromHexString(vector.Key!)).Id, Is.EqualTo(vector.Paserk));
    }

    [TestCaseSource(nameof(SecretVectors))]
    public void K4_secret_vector(PaserkVector vector)
    {
        if (vector.ExpectFail)
        {
            AssertRefused(vector, () => AsymmetricSecretKey.ParsePaserk(vector.Paserk!), () => AsymmetricSecretKey.FromBytes(Convert.FromHexString(vector.Key!)));
            return;
        }

        var key = AsymmetricSecretKey.FromBytes(Convert.FromHexString(vector.Key!));
        var fromSeed = AsymmetricSecretKey.FromSeed(Convert.FromHexString(vector.SecretKeySeed!));
        Assert.Multiple(() =>
        {
            Assert.That(key.ToPaserk(), Is.EqualTo(vector.Paserk));
            Assert.That(fromSeed.ToPaserk(), Is.EqualTo(vector.Paserk));
            Assert.That(key.PublicKey.ToBytes(), Is.EqualTo(Convert.FromHexString(vector.PublicKey!)));
            Assert.That(AsymmetricSecretKey.ParsePaserk(vector.Paserk!).ToPaserk(), Is.EqualTo(vector.Paserk));
        });
    }

    [TestCaseSource(nameof(SecretIdVectors))]
    public void K4_sid_vector(PaserkVector vector)
    {
        if (vector.ExpectFail)
        {
            Assert.Throws<ArgumentException>(() => AsymmetricSecretKey.FromBytes(Convert.FromHexString(vector.Key!)));
            return;
        }

        Assert.That(AsymmetricSecretKey.FromBytes(Convert.FromHexString(vector.Key!)).Id, Is.EqualTo(vector.Paserk));
    }

    /// <summary>A failing entry gives either a PASERK that must not parse or key bytes that must not serialize.</summary>
    private static void AssertRefused(PaserkVector vector, TestDelegate parse, TestDelegate fromBytes)
    {
        Assert.That(vector.Paserk is not null || vector.Key is not null, Is.True, "a failing vector names a PASERK or a key");
        if (vector.Paserk is not null)
        {
            Assert.Throws<FormatException>(parse);
        }

        if (vector.Key is not null)
        {
            Assert.Throws<ArgumentException>(fromBytes);
        }
    }
}
