using System.Diagnostics;
using System.Globalization;
using Paseto.Auth.Infrastructure.Security;

namespace Paseto.Auth.Ceiling;

/// <summary>
/// The bare Argon2id rate that login is compared with: the API's engine (<c>Auth:Passwords:Engine</c>,
/// resolved as the API resolves <c>auto</c>) at the API's parameters (<c>Auth:Passwords:*</c>, same defaults), with
/// nothing around it: no semaphore, no normalisation, no PHC string, no database. It times one
/// thread first (the time per hash the "cores ÷ time per hash" uses), then one thread per
/// core together. Prints one JSON line.
/// </summary>
/// <remarks>
/// <c>--engines libsodium,simd --rounds 3</c> compares engines instead: each round measures every
/// engine in turn, so all of them see much the same load from the rest of the machine, and prints
/// a line per engine and round.
/// </remarks>
internal static class HashRate
{
    public const string Verb = "hash-rate";

    public static int Run(IConfiguration configuration)
    {
        var options = new PasswordHashingOptions();
        configuration.GetSection(PasswordHashingOptions.SectionName).Bind(options);
        var parameters = new Argon2idParameters(options.MemoryKiB, options.Iterations, options.Parallelism);
        var cores = Environment.ProcessorCount;
        var engineNames = configuration["engines"]?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            ?? [options.Engine.ToString()];
        var engines = new List<(string Name, IArgon2idEngine Engine)>();
        foreach (var name in engineNames)
        {
            if (!Enum.TryParse<PasswordHashingEngine>(name, ignoreCase: true, out var kind) || !Enum.IsDefined(kind))
            {
                Console.Error.WriteLine($"Unknown engine '{name}': libsodium, managed or simd.");
                return 2;
            }

            kind = Argon2idPasswordHasher.ResolveEngine(kind, parameters.Parallelism, Argon2idAlgorithm.IsVectorized);
            IArgon2idEngine engine = kind switch
            {
                PasswordHashingEngine.Libsodium => new LibsodiumArgon2idEngine(),
                // As the hasher builds it: one kept workspace per slot, one slot per core.
                PasswordHashingEngine.Simd => new SimdArgon2idEngine(parameters.MemoryKiB, cores),
                _ => new ManagedArgon2idEngine(),
            };
            if (!engine.Supports(parameters, Argon2idPasswordHasher.SaltLength, Argon2idPasswordHasher.HashLength))
            {
                Console.Error.WriteLine($"The {name} engine cannot hash with {parameters}.");
                return 2;
            }

            engines.Add((kind.ToString().ToLowerInvariant(), engine));
        }

        var seconds = configuration.GetValue("seconds", 5.0);
        var rounds = configuration.GetValue("rounds", 1);
        var duration = TimeSpan.FromSeconds(seconds);
        foreach (var (_, engine) in engines)
        {
            _ = Measure(engine, parameters, 1, TimeSpan.FromSeconds(Math.Min(1, seconds))); // warm-up
        }

        for (var round = 1; round <= rounds; round++)
        {
            foreach (var (name, engine) in engines)
            {
                var (single, _) = Measure(engine, parameters, 1, duration);
                var (parallel, cpuMsPerHash) = Measure(engine, parameters, cores, duration);
                var msPerHash = 1000 / single;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $$"""{"engine":"{{name}}","round":{{round}},"memory_kib":{{parameters.MemoryKiB}},"iterations":{{parameters.Iterations}},"parallelism":{{parameters.Parallelism}},"cores":{{cores}},"ms_per_hash":{{msPerHash:F2}},"cores_over_time_per_hash":{{cores * single:F1}},"parallel_hashes_per_second":{{parallel:F1}},"parallel_cpu_ms_per_hash":{{cpuMsPerHash:F2}}}"""));
            }
        }

        return 0;
    }

    /// <summary>
    /// Hashes per second with <paramref name="threads"/> dedicated threads hashing for
    /// <paramref name="duration"/>, and the process's CPU time (user and kernel) per hash, which
    /// moves much less than the rate when other work shares the cores.
    /// </summary>
    private static (double PerSecond, double CpuMsPerHash) Measure(IArgon2idEngine engine, Argon2idParameters parameters, int threads, TimeSpan duration)
    {
        long total = 0;
        var cpuBefore = Environment.CpuUsage.TotalTime;
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
        var elapsed = clock.Elapsed;
        var cpu = Environment.CpuUsage.TotalTime - cpuBefore;
        return (total / elapsed.TotalSeconds, cpu.TotalMilliseconds / Math.Max(1, total));
    }
}
