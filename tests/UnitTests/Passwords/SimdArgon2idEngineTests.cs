using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;
using System.Text;
using Paseto.Auth.Infrastructure.Security;

namespace Paseto.Auth.UnitTests.Passwords;

/// <summary>
/// The engine of our own against RFC 9106's test vector, the reference tool's hashes, libsodium and
/// Konscious, on both of its paths. scripts/test.sh runs this class a second time with
/// <c>DOTNET_EnableAVX2=0</c>, where only the scalar path exists and
/// <see cref="Takes_the_path_the_process_offers"/> checks that it is the one taken.
/// </summary>
public class SimdArgon2idEngineTests
{
    /// <summary>The scalar path everywhere, the AVX2 path where the CPU (and the runtime's settings) allow it.</summary>
    public static IEnumerable<TestCaseData> Paths()
    {
        yield return new TestCaseData(false).SetArgDisplayNames("scalar");
        if (Avx2.IsSupported)
        {
            yield return new TestCaseData(true).SetArgDisplayNames("avx2");
        }
    }

    [Test]
    public void Takes_the_path_the_process_offers()
    {
        var engine = new SimdArgon2idEngine(1024, 1);
        if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX2") == "0")
        {
            // The run scripts/test.sh makes to prove the scalar path: it must really be without AVX2.
            Assert.That(Avx2.IsSupported, Is.False, "DOTNET_EnableAVX2=0 did not switch AVX2 off");
        }

        Assert.That(engine.IsVectorized, Is.EqualTo(Avx2.IsSupported));
    }

    [TestCaseSource(nameof(Paths))]
    public void Matches_the_RFC_9106_test_vector_with_secret_and_associated_data(bool vectorized)
    {
        // RFC 9106 §5.3: m=32 KiB, t=3, p=4, 32-byte tag.
        var password = Enumerable.Repeat((byte)0x01, 32).ToArray();
        var salt = Enumerable.Repeat((byte)0x02, 16).ToArray();
        var secret = Enumerable.Repeat((byte)0x03, 8).ToArray();
        var associatedData = Enumerable.Repeat((byte)0x04, 12).ToArray();
        var tag = new byte[32];

        new SimdArgon2idEngine(32, 1, vectorized).DeriveKey(password, salt, secret, associatedData, new Argon2idParameters(32, 3, 4), tag);

        Assert.That(Convert.ToHexStringLower(tag), Is.EqualTo("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659"));
    }

    public static IEnumerable<TestCaseData> ReferenceVectorsOnEachPath() =>
        from vector in ReferenceVectors.All()
        from path in Paths()
        let phc = (string)vector.Arguments[1]!
        let vectorized = (bool)path.Arguments[0]!
        select new TestCaseData(vector.Arguments[0], phc, vectorized)
            .SetArgDisplayNames($"{phc.Split('$')[3]},salt={phc.Split('$')[4]}", vectorized ? "avx2" : "scalar");

    [TestCaseSource(nameof(ReferenceVectorsOnEachPath))]
    public void Matches_the_reference_implementation(string password, string phc, bool vectorized)
    {
        var stored = ReferenceVectors.Parse(phc);
        var hash = new byte[stored.Hash.Length];

        new SimdArgon2idEngine(19456, 1, vectorized).DeriveKey(Encoding.UTF8.GetBytes(password), stored.Salt.Span, stored.Parameters, hash);

        Assert.That(hash, Is.EqualTo(stored.Hash.ToArray()));
    }

    [TestCaseSource(nameof(Paths))]
    public void Gives_libsodiums_bytes_for_thousands_of_random_inputs_and_small_parameters(bool vectorized)
    {
        var engine = new SimdArgon2idEngine(64, 1, vectorized);
        var libsodium = new LibsodiumArgon2idEngine();
        var cases = vectorized ? 2000 : 1000;
        for (var i = 0; i < cases; i++)
        {
            var parameters = new Argon2idParameters(RandomNumberGenerator.GetInt32(8, 65), RandomNumberGenerator.GetInt32(1, 4), 1);
            // 0 to 200 bytes of password (libsodium takes an empty one too); 16 to 160 bytes of hash,
            // so H' runs both as one BLAKE2b and as a chain.
            AssertSameBytes(libsodium, engine, parameters, passwordLength: RandomNumberGenerator.GetInt32(0, 201), saltLength: 16, hashLength: RandomNumberGenerator.GetInt32(16, 161));
        }
    }

    [TestCaseSource(nameof(Paths))]
    public void Gives_libsodiums_bytes_at_the_production_parameters(bool vectorized)
    {
        var parameters = new Argon2idParameters(19456, 2, 1);
        var engine = new SimdArgon2idEngine(parameters.MemoryKiB, 1, vectorized);
        for (var i = 0; i < 2; i++)
        {
            AssertSameBytes(new LibsodiumArgon2idEngine(), engine, parameters, passwordLength: 24, saltLength: 16, hashLength: 32);
        }
    }

    [TestCaseSource(nameof(Paths))]
    public void Gives_Konscious_bytes_with_several_lanes_and_any_salt_length(bool vectorized)
    {
        // libsodium computes one lane only; Konscious (the managed engine) any number.
        var engine = new SimdArgon2idEngine(256, 1, vectorized);
        var konscious = new ManagedArgon2idEngine();
        for (var i = 0; i < 150; i++)
        {
            var lanes = RandomNumberGenerator.GetInt32(1, 9);
            var parameters = new Argon2idParameters(RandomNumberGenerator.GetInt32(8 * lanes, (8 * lanes) + 100), RandomNumberGenerator.GetInt32(1, 4), lanes);
            AssertSameBytes(konscious, engine, parameters, RandomNumberGenerator.GetInt32(1, 100), RandomNumberGenerator.GetInt32(8, 40), RandomNumberGenerator.GetInt32(4, 100));
        }
    }

    [TestCaseSource(nameof(Paths))]
    public void Blake2b_matches_RFC_7693_and_libsodium_across_hash_lengths_and_block_boundaries(bool vectorized)
    {
        var abc = new byte[Blake2b.MaxHashLength];
        Blake2b.Hash("abc"u8, abc, vectorized);
        Assert.That(Convert.ToHexStringLower(abc), Is.EqualTo(
            "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923"));

        // libsodium's BLAKE2b writes 16 to 64 bytes; H' asks for shorter ones only for tags under
        // 16 bytes, which the Konscious comparison covers.
        for (var inputLength = 0; inputLength <= 3 * Blake2b.BlockLength + 1; inputLength++)
        {
            var input = RandomNumberGenerator.GetBytes(inputLength);
            var hashLength = 16 + (inputLength % 49);
            var expected = new byte[hashLength];
            var actual = new byte[hashLength];

            Geralt.BLAKE2b.ComputeHash(expected, input);
            Blake2b.Hash(input, actual, vectorized);

            Assert.That(actual, Is.EqualTo(expected), $"{inputLength} bytes in, {hashLength} out");
        }
    }

    [Test]
    public void Both_compression_paths_write_the_same_block()
    {
        if (!Avx2.IsSupported)
        {
            Assert.That(new SimdArgon2idEngine(8, 1).IsVectorized, Is.False, "without AVX2 there is one path, the scalar one");
            return;
        }

        for (var i = 0; i < 200; i++)
        {
            var prev = RandomBlock();
            var reference = RandomBlock();
            var old = RandomBlock();
            var xorInto = i % 2 == 1;
            var (scalar, vector) = ((ulong[])old.Clone(), (ulong[])old.Clone());

            Argon2idCompression.FillBlock(prev, reference, scalar, new ulong[128], xorInto, vectorized: false);
            Argon2idCompression.FillBlock(prev, reference, vector, new ulong[128], xorInto, vectorized: true);

            Assert.That(vector, Is.EqualTo(scalar));
        }
    }

    [TestCaseSource(nameof(Paths))]
    public void Keeps_one_workspace_per_slot_and_wipes_it_after_every_hash(bool vectorized)
    {
        const int Slots = 2;
        var engine = new SimdArgon2idEngine(256, Slots, vectorized);
        var parameters = new Argon2idParameters(256, 1, 1);
        var password = RandomNumberGenerator.GetBytes(16);
        var salt = RandomNumberGenerator.GetBytes(16);
        var expected = new byte[32];
        new LibsodiumArgon2idEngine().DeriveKey(password, salt, parameters, expected);

        // More hashes at once than slots (the hasher's semaphore would not allow it; the pool must
        // still stay bounded and every result right).
        var results = new byte[16][];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            results[i] = new byte[32];
            engine.DeriveKey(password, salt, parameters, results[i]);
        });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(results, Has.All.EqualTo(expected));
            Assert.That(engine.RetainedWorkspaces, Is.InRange(1, Slots));
            Assert.That(engine.RetainedWorkspacesAreWiped(), Is.True);
        }
    }

    [TestCaseSource(nameof(Paths))]
    public void A_stored_hash_needing_more_memory_than_a_slot_holds_gets_memory_of_its_own(bool vectorized)
    {
        var engine = new SimdArgon2idEngine(64, 1, vectorized);
        var small = new Argon2idParameters(64, 1, 1);
        var large = new Argon2idParameters(1024, 2, 1);
        var password = RandomNumberGenerator.GetBytes(16);
        var salt = RandomNumberGenerator.GetBytes(16);
        var expected = new byte[32];
        var actual = new byte[32];
        engine.DeriveKey(password, salt, small, actual);

        new LibsodiumArgon2idEngine().DeriveKey(password, salt, large, expected);
        engine.DeriveKey(password, salt, large, actual);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(actual, Is.EqualTo(expected));
            Assert.That(engine.RetainedWorkspaces, Is.EqualTo(1), "the larger workspace is not kept");
            Assert.That(engine.RetainedWorkspacesAreWiped(), Is.True);
        }
    }

    [Test]
    public void Supports_any_lane_count_and_salts_of_eight_bytes_or_more()
    {
        var engine = new SimdArgon2idEngine(1024, 1);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(engine.Supports(new Argon2idParameters(19456, 2, 4), 16, 32), Is.True);
            Assert.That(engine.Supports(new Argon2idParameters(19456, 2, 1), 8, 4), Is.True);
            Assert.That(engine.Supports(new Argon2idParameters(19456, 2, 1), 7, 32), Is.False);
            Assert.That(engine.Supports(new Argon2idParameters(19456, 2, 1), 16, 3), Is.False);
            Assert.That(engine.Supports(new Argon2idParameters(Argon2idParameters.MaxMemoryKiB + 1, 2, 1), 16, 32), Is.False);
        }

        Assert.Throws<ArgumentException>(() => engine.DeriveKey([1], new byte[7], new Argon2idParameters(64, 1, 1), new byte[32]));
    }

    /// <summary>One random password and salt of the given lengths through both engines.</summary>
    private static void AssertSameBytes(IArgon2idEngine expectedEngine, SimdArgon2idEngine engine, Argon2idParameters parameters, int passwordLength, int saltLength, int hashLength)
    {
        var password = RandomNumberGenerator.GetBytes(passwordLength);
        var salt = RandomNumberGenerator.GetBytes(saltLength);
        var expected = new byte[hashLength];
        var actual = new byte[hashLength];

        expectedEngine.DeriveKey(password, salt, parameters, expected);
        engine.DeriveKey(password, salt, parameters, actual);

        Assert.That(actual, Is.EqualTo(expected), $"{parameters}, password {Convert.ToHexString(password)}, salt {Convert.ToHexString(salt)}, {hashLength}-byte hash");
    }

    private static ulong[] RandomBlock()
    {
        var block = new ulong[128];
        RandomNumberGenerator.Fill(System.Runtime.InteropServices.MemoryMarshal.AsBytes(block.AsSpan()));
        return block;
    }
}
