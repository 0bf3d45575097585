using System.Diagnostics;
using System.Globalization;
using Paseto.Auth.Infrastructure.Security;

namespace Paseto.Auth.Ceiling;

/// <summary>
/// The bare Argon2id rate that login is compared with: the API's engine (libsodium through
/// Geralt) at the API's parameters (<c>Auth:Passwords:*</c>, same defaults), with nothing around
/// it: no semaphore, no normalisation, no PHC string, no database. It times one thread first (the
/// time per hash the "cores ÷ time per hash" uses), then one thread per core together.
/// Prints one JSON line.
/// </summary>
internal static class HashRate
{
    public const string Verb = "hash-rate";

    public static int Run(IConfiguration configuration)
    {
        var options = new PasswordHashingOptions();
        configuration.GetSection(PasswordHashingOptions.SectionName).Bind(options);
        var parameters = new Argon2idParameters(options.MemoryKiB, options.Iterations, options.Parallelism);
        var engine = new LibsodiumArgon2idEngine();
        if (!engine.Supports(parameters, Argon2idPasswordHasher.SaltLength, Argon2idPasswordHasher.HashLength))
        {
            Console.Error.WriteLine($"The libsodium engine cannot hash with {parameters}.");
            return 2;
        }

        var seconds = configuration.GetValue("seconds", 5.0);
        var duration = TimeSpan.FromSeconds(seconds);
        Measure(engine, parameters, 1, TimeSpan.FromSeconds(Math.Min(1, seconds))); // warm-up
        var single = Measure(engine, parameters, 1, duration);
        var cores = Environment.ProcessorCount;
        var parallel = Measure(engine, parameters, cores, duration);
        var msPerHash = 1000 / single;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $$"""{"memory_kib":{{parameters.MemoryKiB}},"iterations":{{parameters.Iterations}},"parallelism":{{parameters.Parallelism}},"cores":{{cores}},"ms_per_hash":{{msPerHash:F2}},"cores_over_time_per_hash":{{cores * single:F1}},"parallel_hashes_per_second":{{parallel:F1}}}"""));
        return 0;
    }

    /// <summary>Hashes per second with <paramref name="threads"/> dedicated threads hashing for <paramref name="duration"/>.</summary>
    private static double Measure(LibsodiumArgon2idEngine engine, Argon2idParameters parameters, int threads, TimeSpan duration)
    {
        long total = 0;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            var password = "correct horse battery staple"u8.ToArray();
            var salt = new byte[Argon2idPasswordHasher.SaltLength];
            var hash = new byte[Argon2idPasswordHasher.HashLength];
            long count = 0;
            while (clock.Elapsed < duration)
            {
                salt[0] = (byte)count;
                engine.DeriveKey(password, salt, parameters, hash);
                count++;
            }

            Interlocked.Add(ref total, count);
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        return total / clock.Elapsed.TotalSeconds;
    }
}
