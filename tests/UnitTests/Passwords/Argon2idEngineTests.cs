using System.Security.Cryptography;
using System.Text;
using Paseto.Auth.Infrastructure.Security;

namespace Paseto.Auth.UnitTests.Passwords;

public class Argon2idEngineTests
{
    [TestCaseSource(typeof(ReferenceVectors), nameof(ReferenceVectors.All))]
    public void Managed_engine_matches_the_reference_implementation(string password, string phc)
    {
        AssertEngineMatches(new ManagedArgon2idEngine(), password, phc);
    }

    [TestCaseSource(typeof(ReferenceVectors), nameof(ReferenceVectors.All))]
    public void Libsodium_engine_matches_the_reference_implementation_where_it_supports_the_shape(string password, string phc)
    {
        var stored = ReferenceVectors.Parse(phc);
        var engine = new LibsodiumArgon2idEngine();
        var supported = stored.Parameters.Parallelism == 1 && stored.Salt.Length == 16;
        Assert.That(engine.Supports(stored.Parameters, stored.Salt.Length, stored.Hash.Length), Is.EqualTo(supported));
        if (supported)
        {
            AssertEngineMatches(engine, password, phc);
        }
    }

    [TestCase(8, 1, 16)]
    [TestCase(1024, 1, 32)]
    [TestCase(1024, 3, 32)]
    [TestCase(4096, 2, 64)]
    public void Both_engines_give_identical_bytes(int memoryKiB, int iterations, int hashLength)
    {
        var parameters = new Argon2idParameters(memoryKiB, iterations, 1);
        for (var i = 0; i < 4; i++)
        {
            var password = RandomNumberGenerator.GetBytes(1 + (i * 37));
            var salt = RandomNumberGenerator.GetBytes(16);
            var fromLibsodium = new byte[hashLength];
            var fromManaged = new byte[hashLength];

            new LibsodiumArgon2idEngine().DeriveKey(password, salt, parameters, fromLibsodium);
            new ManagedArgon2idEngine().DeriveKey(password, salt, parameters, fromManaged);

            Assert.That(fromManaged, Is.EqualTo(fromLibsodium));
        }
    }

    [Test]
    public void Libsodium_engine_supports_one_lane_and_16_byte_salts_only()
    {
        var engine = new LibsodiumArgon2idEngine();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(engine.Supports(new Argon2idParameters(19456, 2, 1), 16, 32), Is.True);
            Assert.That(engine.Supports(new Argon2idParameters(19456, 2, 2), 16, 32), Is.False);
            Assert.That(engine.Supports(new Argon2idParameters(19456, 2, 1), 8, 32), Is.False);
            Assert.That(engine.Supports(new Argon2idParameters(19456, 2, 1), 16, 12), Is.False);
        }
    }

    private static void AssertEngineMatches(IArgon2idEngine engine, string password, string phc)
    {
        var stored = ReferenceVectors.Parse(phc);
        var hash = new byte[stored.Hash.Length];

        engine.DeriveKey(Encoding.UTF8.GetBytes(password), stored.Salt.Span, stored.Parameters, hash);

        Assert.That(hash, Is.EqualTo(stored.Hash.ToArray()));
    }
}
