using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Infrastructure.Security;

namespace Paseto.Auth.UnitTests.Passwords;

public class Argon2idPasswordHasherTests
{
    private const string Password = "correct horse battery staple";

    // A lone surrogate cannot be an attribute argument: attribute strings are stored as UTF-8.
    public static IEnumerable<TestCaseData> InvalidPasswords()
    {
        yield return new TestCaseData("").SetArgDisplayNames("empty");
        yield return new TestCaseData("lone \uD800 surrogate").SetArgDisplayNames("lone surrogate");
    }

    public static IEnumerable<TestCaseData> BurnCases()
    {
        yield return new TestCaseData("libsodium", Password);
        yield return new TestCaseData("managed", Password);
        yield return new TestCaseData("simd", Password);
        foreach (var engine in new[] { "libsodium", "managed", "simd" })
        {
            yield return new TestCaseData(engine, "");
            yield return new TestCaseData(engine, "lone \uD800 surrogate");
        }
    }

    [TestCase("libsodium")]
    [TestCase("managed")]
    [TestCase("simd")]
    public async Task Hash_is_a_PHC_string_with_the_configured_parameters_a_16_byte_salt_and_a_32_byte_hash(string engine)
    {
        using var hasher = NewHasher(engine, memoryKiB: 1024, iterations: 2);

        var phc = await hasher.HashAsync(Password, CancellationToken.None);

        Assert.That(phc, Does.Match(@"^\$argon2id\$v=19\$m=1024,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$"));
    }

    [Test]
    public async Task Hashes_of_the_same_password_have_different_salts()
    {
        using var hasher = NewHasher("libsodium");

        var first = await hasher.HashAsync(Password, CancellationToken.None);
        var second = await hasher.HashAsync(Password, CancellationToken.None);

        Assert.That(second, Is.Not.EqualTo(first));
    }

    [TestCase("libsodium", "managed")]
    [TestCase("managed", "libsodium")]
    [TestCase("libsodium", "libsodium")]
    [TestCase("managed", "managed")]
    [TestCase("simd", "libsodium")]
    [TestCase("libsodium", "simd")]
    [TestCase("simd", "managed")]
    [TestCase("simd", "simd")]
    public async Task A_hash_made_by_one_engine_verifies_with_the_other(string hashingEngine, string verifyingEngine)
    {
        using var hashing = NewHasher(hashingEngine);
        using var verifying = NewHasher(verifyingEngine);

        var phc = await hashing.HashAsync(Password, CancellationToken.None);

        Assert.That(await verifying.VerifyAsync(Password, phc, CancellationToken.None), Is.EqualTo(PasswordVerification.Succeeded));
    }

    [TestCase("libsodium")]
    [TestCase("managed")]
    [TestCase("simd")]
    public async Task A_wrong_password_fails(string engine)
    {
        using var hasher = NewHasher(engine);
        var phc = await hasher.HashAsync(Password, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await hasher.VerifyAsync("correct horse battery stapler", phc, CancellationToken.None), Is.EqualTo(PasswordVerification.Failed));
            Assert.That(await hasher.VerifyAsync("Correct horse battery staple", phc, CancellationToken.None), Is.EqualTo(PasswordVerification.Failed));
            Assert.That(await hasher.VerifyAsync("", phc, CancellationToken.None), Is.EqualTo(PasswordVerification.Failed));
        }
    }

    [Test]
    public async Task A_reference_implementation_hash_with_the_configured_parameters_verifies_without_rehash()
    {
        using var hasher = NewHasher("libsodium", memoryKiB: 1024, iterations: 2);

        var result = await hasher.VerifyAsync(ReferenceVectors.Password, ReferenceVectors.M1024T2P1, CancellationToken.None);

        Assert.That(result, Is.EqualTo(PasswordVerification.Succeeded));
    }

    [TestCaseSource(typeof(ReferenceVectors), nameof(ReferenceVectors.All))]
    public async Task Reference_implementation_hashes_verify_with_the_libsodium_engine_configured(string password, string phc)
    {
        using var hasher = NewHasher("libsodium", memoryKiB: 1024, iterations: 2);

        var result = await hasher.VerifyAsync(password, phc, CancellationToken.None);

        Assert.That(result, Is.Not.EqualTo(PasswordVerification.Failed));
    }

    [TestCase(2048, 1, 1, "libsodium")]
    [TestCase(1024, 2, 1, "libsodium")]
    [TestCase(1024, 1, 2, "managed")]
    public async Task A_hash_with_other_parameters_than_configured_asks_for_a_rehash(int memoryKiB, int iterations, int parallelism, string engine)
    {
        using var before = NewHasher("libsodium", memoryKiB: 1024, iterations: 1);
        using var after = NewHasher(engine, memoryKiB, iterations, parallelism);
        var old = await before.HashAsync(Password, CancellationToken.None);

        var result = await after.VerifyAsync(Password, old, CancellationToken.None);
        var rehashed = await after.HashAsync(Password, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result, Is.EqualTo(PasswordVerification.SucceededNeedsRehash));
            Assert.That(await after.VerifyAsync(Password, rehashed, CancellationToken.None), Is.EqualTo(PasswordVerification.Succeeded));
            Assert.That(await after.VerifyAsync("wrong password!", old, CancellationToken.None), Is.EqualTo(PasswordVerification.Failed));
        }
    }

    [Test]
    public async Task A_two_lane_hash_verifies_on_the_libsodium_engine_through_the_managed_one_and_asks_for_a_rehash()
    {
        using var hasher = NewHasher("libsodium", memoryKiB: 1024, iterations: 1);

        var result = await hasher.VerifyAsync(ReferenceVectors.Password, ReferenceVectors.M1024T1P2, CancellationToken.None);

        Assert.That(result, Is.EqualTo(PasswordVerification.SucceededNeedsRehash));
    }

    [TestCase("$argon2id$v=19$m=1024,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$RC5JY/00hXKlnXZ/+PCVcJg84nuCQwbjIQ3DVCTomOQ", true, TestName = "{m}(untouched)")]
    [TestCase("$argon2id$v=19$m=1024,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$RC5JY/00hXKlnXZ/+PCVcJg84nuCQwbjIQ3DVCTomOA", false, TestName = "{m}(hash)")]
    [TestCase("$argon2id$v=19$m=1024,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdQ$RC5JY/00hXKlnXZ/+PCVcJg84nuCQwbjIQ3DVCTomOQ", false, TestName = "{m}(salt)")]
    [TestCase("$argon2id$v=19$m=1032,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$RC5JY/00hXKlnXZ/+PCVcJg84nuCQwbjIQ3DVCTomOQ", false, TestName = "{m}(memory)")]
    [TestCase("$argon2id$v=19$m=1024,t=3,p=1$c2FsdHNhbHRzYWx0c2FsdA$RC5JY/00hXKlnXZ/+PCVcJg84nuCQwbjIQ3DVCTomOQ", false, TestName = "{m}(iterations)")]
    [TestCase("$argon2id$v=19$m=1024,t=2,p=2$c2FsdHNhbHRzYWx0c2FsdA$RC5JY/00hXKlnXZ/+PCVcJg84nuCQwbjIQ3DVCTomOQ", false, TestName = "{m}(lanes)")]
    [TestCase("$argon2id$v=19$m=1024,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$RC5JY/00hXKlnXZ/+PCVcJg84nuCQwbjIQ3DVCTom", false, TestName = "{m}(truncated hash)")]
    public async Task A_tampered_hash_fails(string phc, bool matches)
    {
        using var hasher = NewHasher("libsodium", memoryKiB: 1024, iterations: 2);

        var result = await hasher.VerifyAsync(ReferenceVectors.Password, phc, CancellationToken.None);

        Assert.That(result, matches ? Is.EqualTo(PasswordVerification.Succeeded) : Is.EqualTo(PasswordVerification.Failed));
    }

    [TestCaseSource(typeof(PhcArgon2idHashTests), nameof(PhcArgon2idHashTests.Malformed))]
    public async Task A_garbage_or_absurd_stored_hash_fails_without_throwing(string phc)
    {
        using var hasher = NewHasher("libsodium");

        Assert.That(await hasher.VerifyAsync(Password, phc, CancellationToken.None), Is.EqualTo(PasswordVerification.Failed));
    }

    [Test]
    public async Task A_null_stored_hash_fails_without_throwing()
    {
        using var hasher = NewHasher("libsodium");

        Assert.That(await hasher.VerifyAsync(Password, null!, CancellationToken.None), Is.EqualTo(PasswordVerification.Failed));
    }

    [Test]
    public async Task A_hash_naming_a_pepper_key_fails_until_peppers_are_supported()
    {
        using var hasher = NewHasher("libsodium", memoryKiB: 1024, iterations: 2);
        var withKeyId = ReferenceVectors.M1024T2P1.Replace("p=1$", "p=1,keyid=AQ$", StringComparison.Ordinal);

        var result = await hasher.VerifyAsync(ReferenceVectors.Password, withKeyId, CancellationToken.None);

        Assert.That(result, Is.EqualTo(PasswordVerification.Failed));
    }

    [TestCase("\uFB01ne print password", "fine print password", TestName = "{m}(fi ligature)")]
    [TestCase("\uFF30\uFF41\uFF53\uFF53\uFF57\uFF4F\uFF52\uFF44\uFF11\uFF12\uFF13", "Password123", TestName = "{m}(fullwidth letters)")]
    [TestCase("cafe\u0301 au lait, s'il vous pla\u00EEt", "caf\u00E9 au lait, s'il vous plai\u0302t", TestName = "{m}(composed and decomposed accents)")]
    [TestCase("chapter \u216B of twelve", "chapter XII of twelve", TestName = "{m}(roman numeral)")]
    public async Task Passwords_equal_under_NFKC_verify_against_each_other(string typed, string stored)
    {
        using var hasher = NewHasher("libsodium");
        var storedHash = await hasher.HashAsync(stored, CancellationToken.None);
        var typedHash = await hasher.HashAsync(typed, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await hasher.VerifyAsync(typed, storedHash, CancellationToken.None), Is.EqualTo(PasswordVerification.Succeeded));
            Assert.That(await hasher.VerifyAsync(stored, typedHash, CancellationToken.None), Is.EqualTo(PasswordVerification.Succeeded));
        }
    }

    [Test]
    public void Unicode_normalisation_is_available_in_the_test_process()
    {
        // Without it the NFKC tests above would fail, not pass vacuously; this says why.
        Assert.That(PasswordHashingOptionsValidator.IsNormalizationAvailable(), Is.True);
    }

    [TestCaseSource(nameof(InvalidPasswords))]
    public void Hashing_an_empty_or_invalid_password_throws_ArgumentException(string password)
    {
        using var hasher = NewHasher("libsodium");

        Assert.ThrowsAsync<ArgumentException>(async () => await hasher.HashAsync(password, CancellationToken.None));
    }

    [TestCaseSource(nameof(InvalidPasswords))]
    public async Task Verifying_an_empty_or_invalid_password_fails(string password)
    {
        using var hasher = NewHasher("libsodium", memoryKiB: 1024, iterations: 2);

        Assert.That(await hasher.VerifyAsync(password, ReferenceVectors.M1024T2P1, CancellationToken.None), Is.EqualTo(PasswordVerification.Failed));
    }

    [TestCaseSource(nameof(BurnCases))]
    public void Burn_does_not_throw(string engine, string password)
    {
        using var hasher = NewHasher(engine);

        Assert.DoesNotThrowAsync(async () => await hasher.BurnAsync(password, CancellationToken.None));
    }

    [Test]
    public async Task Burn_runs_the_engine_with_the_configured_parameters()
    {
        var counting = new CountingEngine(new LibsodiumArgon2idEngine(), TimeSpan.Zero);
        using var hasher = new Argon2idPasswordHasher(new Argon2idParameters(1024, 2, 1), counting, counting, maxConcurrency: 1);

        await hasher.BurnAsync(Password, CancellationToken.None);

        Assert.That(counting.Calls, Is.EqualTo(new[] { new Argon2idParameters(1024, 2, 1) }));
    }

    [Test]
    public async Task Calls_beyond_the_bound_wait_for_a_free_slot()
    {
        const int Bound = 2;
        using var blocking = new BlockingEngine(new LibsodiumArgon2idEngine());
        var counting = new CountingEngine(blocking, TimeSpan.Zero);
        using var hasher = new Argon2idPasswordHasher(new Argon2idParameters(1024, 1, 1), counting, counting, Bound);

        // Own threads, so that reaching the bound does not depend on how many pool threads are free.
        var hashes = Enumerable.Range(0, Bound + 1)
            .Select(_ => Task.Factory.StartNew(
                () => hasher.HashAsync(Password, CancellationToken.None).AsTask(),
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default).Unwrap())
            .ToList();
        Assert.That(SpinWait.SpinUntil(() => counting.Running == Bound, TimeSpan.FromSeconds(10)), Is.True);
        await Task.Delay(TimeSpan.FromMilliseconds(200));
        var runningWhileFull = counting.Running;
        blocking.Release.Set();
        await Task.WhenAll(hashes);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(runningWhileFull, Is.EqualTo(Bound));
            Assert.That(counting.Calls, Has.Count.EqualTo(Bound + 1));
            Assert.That(counting.MaxRunning, Is.EqualTo(Bound));
        }
    }

    [Test]
    public async Task A_storm_of_hashes_verifies_and_burns_never_exceeds_the_bound()
    {
        const int Bound = 2;
        var counting = new CountingEngine(new LibsodiumArgon2idEngine(), TimeSpan.FromMilliseconds(20));
        using var hasher = new Argon2idPasswordHasher(new Argon2idParameters(1024, 1, 1), counting, counting, Bound);
        var phc = await hasher.HashAsync(Password, CancellationToken.None);

        var work = Enumerable.Range(0, 30).Select(i => Task.Run(async () =>
        {
            switch (i % 3)
            {
                case 0:
                    await hasher.HashAsync(Password, CancellationToken.None);
                    break;
                case 1:
                    await hasher.VerifyAsync(Password, phc, CancellationToken.None);
                    break;
                default:
                    await hasher.BurnAsync(Password, CancellationToken.None);
                    break;
            }
        }));
        await Task.WhenAll(work);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(counting.Calls, Has.Count.EqualTo(31));
            Assert.That(counting.MaxRunning, Is.InRange(1, Bound));
        }
    }

    [Test]
    public async Task A_caller_waiting_for_a_slot_can_cancel_the_wait()
    {
        using var blocking = new BlockingEngine(new LibsodiumArgon2idEngine());
        using var hasher = new Argon2idPasswordHasher(new Argon2idParameters(1024, 1, 1), blocking, blocking, maxConcurrency: 1);
        var first = Task.Run(async () => await hasher.HashAsync(Password, CancellationToken.None));
        Assert.That(blocking.Entered.Wait(TimeSpan.FromSeconds(10)), Is.True);

        using var cts = new CancellationTokenSource();
        var second = hasher.HashAsync(Password, cts.Token).AsTask();
        await cts.CancelAsync();

        Assert.CatchAsync<OperationCanceledException>(async () => await second);
        blocking.Release.Set();
        Assert.That(await hasher.VerifyAsync(Password, await first, CancellationToken.None), Is.EqualTo(PasswordVerification.Succeeded));
    }

    [Test]
    public void The_process_wide_bound_is_the_processor_count()
    {
        using var hasher = Argon2idPasswordHasher.Create(new PasswordHashingOptions());

        Assert.That(hasher.MaxConcurrency, Is.EqualTo(Environment.ProcessorCount));
    }

    [Test]
    public async Task Default_parameters_hash_with_libsodium_and_verify_with_managed()
    {
        using var libsodium = Argon2idPasswordHasher.Create(new PasswordHashingOptions { Engine = PasswordHashingEngine.Libsodium });
        using var managed = Argon2idPasswordHasher.Create(new PasswordHashingOptions { Engine = PasswordHashingEngine.Managed });

        var phc = await libsodium.HashAsync(Password, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(phc, Does.StartWith("$argon2id$v=19$m=19456,t=2,p=1$"));
            Assert.That(await managed.VerifyAsync(Password, phc, CancellationToken.None), Is.EqualTo(PasswordVerification.Succeeded));
            Assert.That(await libsodium.VerifyAsync(ReferenceVectors.Password, ReferenceVectors.M19456T2P1, CancellationToken.None), Is.EqualTo(PasswordVerification.Succeeded));
        }
    }

    [Test]
    public void The_libsodium_engine_is_refused_more_than_one_lane()
    {
        Assert.Throws<ArgumentException>(() => Argon2idPasswordHasher.Create(new PasswordHashingOptions { MemoryKiB = 1024, Parallelism = 2, Engine = PasswordHashingEngine.Libsodium }));
    }

    private static Argon2idPasswordHasher NewHasher(string engine, int memoryKiB = 1024, int iterations = 1, int parallelism = 1) =>
        Argon2idPasswordHasher.Create(new PasswordHashingOptions
        {
            MemoryKiB = memoryKiB,
            Iterations = iterations,
            Parallelism = parallelism,
            Engine = engine switch
            {
                "managed" => PasswordHashingEngine.Managed,
                "simd" => PasswordHashingEngine.Simd,
                _ => PasswordHashingEngine.Libsodium,
            },
        });

    /// <summary>Records each call and the most calls ever running at once.</summary>
    private sealed class CountingEngine(IArgon2idEngine inner, TimeSpan delay) : IArgon2idEngine
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<Argon2idParameters> _calls = new();
        private int _running;
        private int _maxRunning;

        public IReadOnlyCollection<Argon2idParameters> Calls => _calls;

        public int Running => Volatile.Read(ref _running);

        public int MaxRunning => Volatile.Read(ref _maxRunning);

        public bool Supports(Argon2idParameters parameters, int saltLength, int hashLength) =>
            inner.Supports(parameters, saltLength, hashLength);

        public void DeriveKey(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, Argon2idParameters parameters, Span<byte> hash)
        {
            _calls.Enqueue(parameters);
            var running = Interlocked.Increment(ref _running);
            int seen;
            while ((seen = Volatile.Read(ref _maxRunning)) < running
                && Interlocked.CompareExchange(ref _maxRunning, running, seen) != seen)
            {
            }

            try
            {
                Thread.Sleep(delay);
                inner.DeriveKey(password, salt, parameters, hash);
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }
    }

    /// <summary>Holds every call until released.</summary>
    private sealed class BlockingEngine(IArgon2idEngine inner) : IArgon2idEngine, IDisposable
    {
        public ManualResetEventSlim Entered { get; } = new();

        public ManualResetEventSlim Release { get; } = new();

        public bool Supports(Argon2idParameters parameters, int saltLength, int hashLength) =>
            inner.Supports(parameters, saltLength, hashLength);

        public void DeriveKey(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, Argon2idParameters parameters, Span<byte> hash)
        {
            Entered.Set();
            Release.Wait(TimeSpan.FromSeconds(30));
            inner.DeriveKey(password, salt, parameters, hash);
        }

        public void Dispose()
        {
            Entered.Dispose();
            Release.Dispose();
        }
    }
}
