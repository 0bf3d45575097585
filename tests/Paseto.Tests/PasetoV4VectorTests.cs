using System.Text;

namespace Paseto.Auth.Paseto.Tests;

public sealed class PasetoV4VectorTests
{
    /// <summary>Why each expect-fail vector must fail, so a vector cannot pass by failing for some other reason.</summary>
    private static readonly Dictionary<string, PasetoTokenError> _expectedFailures = new()
    {
        ["4-F-1"] = PasetoTokenError.WrongPurpose,
        ["4-F-2"] = PasetoTokenError.WrongPurpose,
        ["4-F-3"] = PasetoTokenError.UnsupportedVersion,
        ["4-F-4"] = PasetoTokenError.Malformed,
        ["4-F-5"] = PasetoTokenError.Malformed,
    };

    private static IEnumerable<TestCaseData> LocalVectors() => TestVectors.Paseto(v => !v.ExpectFail && v.Key is not null);

    private static IEnumerable<TestCaseData> PublicVectors() => TestVectors.Paseto(v => !v.ExpectFail && v.SecretKey is not null);

    private static IEnumerable<TestCaseData> FailingVectors() => TestVectors.Paseto(v => v.ExpectFail);

    [Test]
    public void Every_vector_is_covered_by_exactly_one_case_source()
    {
        var all = TestVectors.Paseto(_ => true).Count();
        Assert.That(LocalVectors().Count() + PublicVectors().Count() + FailingVectors().Count(), Is.EqualTo(all));
    }

    [TestCaseSource(nameof(LocalVectors))]
    public void Local_vector_encrypts_to_the_expected_token(PasetoVector vector)
    {
        var key = SymmetricKey.FromBytes(Convert.FromHexString(vector.Key!));

        var token = PasetoV4Local.Encrypt(
            key,
            Encoding.UTF8.GetBytes(vector.Payload!),
            Encoding.UTF8.GetBytes(vector.Footer),
            Encoding.UTF8.GetBytes(vector.ImplicitAssertion),
            Convert.FromHexString(vector.Nonce!));

        Assert.That(token, Is.EqualTo(vector.Token));
    }

    [TestCaseSource(nameof(LocalVectors))]
    public void Local_vector_decrypts_to_the_expected_payload_and_footer(PasetoVector vector)
    {
        var key = SymmetricKey.FromBytes(Convert.FromHexString(vector.Key!));

        var ok = PasetoV4Local.TryDecrypt(vector.Token, key, Encoding.UTF8.GetBytes(vector.ImplicitAssertion), out var message, out var footer, out var error);

        Assert.Multiple(() =>
        {
            Assert.That(error, Is.EqualTo(PasetoTokenError.None));
            Assert.That(ok, Is.True);
            Assert.That(Encoding.UTF8.GetString(message), Is.EqualTo(vector.Payload));
            Assert.That(Encoding.UTF8.GetString(footer), Is.EqualTo(vector.Footer));
        });
    }

    [TestCaseSource(nameof(PublicVectors))]
    public void Public_vector_signs_to_the_expected_token(PasetoVector vector)
    {
        var key = AsymmetricSecretKey.FromBytes(Convert.FromHexString(vector.SecretKey!));

        var token = PasetoV4Public.Sign(
            key,
            Encoding.UTF8.GetBytes(vector.Payload!),
            Encoding.UTF8.GetBytes(vector.Footer),
            Encoding.UTF8.GetBytes(vector.ImplicitAssertion));

        Assert.Multiple(() =>
        {
            Assert.That(token, Is.EqualTo(vector.Token));
            Assert.That(key.PublicKey.ToBytes(), Is.EqualTo(Convert.FromHexString(vector.PublicKey!)));
        });
    }

    [TestCaseSource(nameof(PublicVectors))]
    public void Public_vector_verifies_to_the_expected_payload_and_footer(PasetoVector vector)
    {
        var key = AsymmetricPublicKey.FromBytes(Convert.FromHexString(vector.PublicKey!));

        var ok = PasetoV4Public.TryVerify(vector.Token, key, Encoding.UTF8.GetBytes(vector.ImplicitAssertion), out var message, out var footer, out var error);

        Assert.Multiple(() =>
        {
            Assert.That(error, Is.EqualTo(PasetoTokenError.None));
            Assert.That(ok, Is.True);
            Assert.That(Encoding.UTF8.GetString(message), Is.EqualTo(vector.Payload));
            Assert.That(Encoding.UTF8.GetString(footer), Is.EqualTo(vector.Footer));
        });
    }

    [TestCaseSource(nameof(FailingVectors))]
    public void Failing_vector_is_refused(PasetoVector vector)
    {
        var implicitAssertion = Encoding.UTF8.GetBytes(vector.ImplicitAssertion);
        bool ok;
        PasetoTokenError error;
        byte[] message;
        if (vector.Key is not null)
        {
            var key = SymmetricKey.FromBytes(Convert.FromHexString(vector.Key));
            ok = PasetoV4Local.TryDecrypt(vector.Token, key, implicitAssertion, out message, out _, out error);
        }
        else
        {
            var key = AsymmetricPublicKey.FromBytes(Convert.FromHexString(vector.PublicKey!));
            ok = PasetoV4Public.TryVerify(vector.Token, key, implicitAssertion, out message, out _, out error);
        }

        Assert.Multiple(() =>
        {
            Assert.That(ok, Is.False);
            Assert.That(error, Is.Not.EqualTo(PasetoTokenError.None));
            Assert.That(message, Is.Empty);
            if (_expectedFailures.TryGetValue(vector.Name, out var expected))
            {
                Assert.That(error, Is.EqualTo(expected));
            }
        });
    }
}
