using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;
using Paseto.Auth.Application.Abstractions;

namespace Paseto.Auth.Infrastructure.Security;

/// <summary>
/// Argon2id password hashing in the PHC string format, with a process-wide bound on concurrent hashes.
/// </summary>
/// <remarks>
/// <para>
/// One instance per process (a singleton): its semaphore is the bound. Each hash holds
/// <see cref="PasswordHashingOptions.MemoryKiB"/> of memory and a core for tens of milliseconds, so
/// running more at once than there are cores only adds memory and latency; callers past the bound
/// wait asynchronously, holding no thread, and a login storm becomes a queue instead of a heap.
/// </para>
/// <para>
/// There is deliberately no <c>Task.Run</c>: the work is CPU-bound and callers are already on
/// thread-pool threads (ASP.NET Core has no UI or request thread to keep free), so moving it to another
/// pool thread would cost a switch and free nothing. Once a slot is free the hash runs synchronously
/// on the thread that took it; cancellation stops the wait, never a hash half done.
/// </para>
/// </remarks>
internal sealed class Argon2idPasswordHasher : IPasswordHasher, IDisposable
{
    public const int SaltLength = 16;
    public const int HashLength = 32;

    private readonly Argon2idParameters _parameters;
    private readonly MeteredArgon2idEngine _engine;
    private readonly MeteredArgon2idEngine _fallback;
    private readonly HashingSlots _slots;
    private readonly IReadOnlyList<Pepper> _peppers;

    /// <param name="parameters">What new hashes use; stored hashes with other parameters need a re-hash.</param>
    /// <param name="engine">Computes every hash it supports.</param>
    /// <param name="fallback">Verifies stored hashes <paramref name="engine"/> cannot compute (libsodium: p &gt; 1).</param>
    /// <param name="maxConcurrency">How many hashes may run at once.</param>
    /// <param name="peppers">Newest first: the first peppers new hashes, all of them verify.</param>
    internal Argon2idPasswordHasher(
        Argon2idParameters parameters,
        IArgon2idEngine engine,
        IArgon2idEngine fallback,
        int maxConcurrency,
        IReadOnlyList<Pepper>? peppers = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(fallback);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);
        if (!parameters.IsWithinBounds || !engine.Supports(parameters, SaltLength, HashLength))
        {
            throw new ArgumentException($"The engine cannot hash with {parameters}.", nameof(parameters));
        }

        _parameters = parameters;
        _engine = new MeteredArgon2idEngine(engine);
        _fallback = new MeteredArgon2idEngine(fallback);
        MaxConcurrency = maxConcurrency;
        _slots = new HashingSlots(maxConcurrency);
        _peppers = peppers ?? [];
    }

    private Pepper? CurrentPepper => _peppers.Count > 0 ? _peppers[0] : null;

    public int MaxConcurrency { get; }

    /// <summary>The engine that computes new hashes (for tests).</summary>
    internal IArgon2idEngine Engine => _engine.Inner;

    public static Argon2idPasswordHasher Create(PasswordHashingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var managed = new ManagedArgon2idEngine();
        var slots = Environment.ProcessorCount;
        IArgon2idEngine engine = ResolveEngine(options.Engine, options.Parallelism, Argon2idAlgorithm.IsVectorized) switch
        {
            PasswordHashingEngine.Libsodium => new LibsodiumArgon2idEngine(),
            // One workspace of the configured size per slot, kept for the life of the process.
            PasswordHashingEngine.Simd => new SimdArgon2idEngine(options.MemoryKiB, slots),
            _ => managed,
        };
        var parameters = new Argon2idParameters(options.MemoryKiB, options.Iterations, options.Parallelism);
        var peppers = options.Peppers.Where(p => !string.IsNullOrWhiteSpace(p)).Select(Pepper.Parse).ToList();
        return new Argon2idPasswordHasher(parameters, engine, managed, slots, peppers);
    }

    /// <summary>
    /// The engine <paramref name="configured"/> stands for: itself, or for <see cref="PasswordHashingEngine.Auto"/>
    /// ours where it is faster than libsodium (with AVX2, docs/performance.md "The Argon2id
    /// engines") or where libsodium cannot hash (more than one lane), libsodium otherwise.
    /// </summary>
    internal static PasswordHashingEngine ResolveEngine(PasswordHashingEngine configured, int parallelism, bool avx2) =>
        configured != PasswordHashingEngine.Auto ? configured
        : avx2 || parallelism != 1 ? PasswordHashingEngine.Simd
        : PasswordHashingEngine.Libsodium;

    public async ValueTask<string> HashAsync(string password, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(password);
        await _slots.WaitAsync(ct);
        try
        {
            return Hash(password);
        }
        finally
        {
            _slots.Release();
        }
    }

    public async ValueTask<PasswordVerification> VerifyAsync(string password, string storedHash, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(password);
        // A hash names its pepper in "keyid"; an unknown pepper (or any other extra parameter)
        // cannot be recomputed here, so it fails closed.
        if (!PhcArgon2idHash.TryParse(storedHash, out var stored) || !TryFindPepper(stored, out var pepper))
        {
            return PasswordVerification.Failed;
        }

        var engine = _engine.Supports(stored.Parameters, stored.Salt.Length, stored.Hash.Length) ? _engine : _fallback;
        if (!engine.Supports(stored.Parameters, stored.Salt.Length, stored.Hash.Length))
        {
            return PasswordVerification.Failed;
        }

        await _slots.WaitAsync(ct);
        try
        {
            return Verify(engine, password, stored, pepper);
        }
        finally
        {
            _slots.Release();
        }
    }

    public async ValueTask BurnAsync(string password, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(password);
        await _slots.WaitAsync(ct);
        try
        {
            Burn(password);
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();

    private string Hash(string password)
    {
        Span<byte> salt = stackalloc byte[SaltLength];
        Span<byte> hash = stackalloc byte[HashLength];
        RandomNumberGenerator.Fill(salt);
        try
        {
            if (!TryDerive(_engine, password, CurrentPepper, salt, _parameters, hash))
            {
                throw new ArgumentException("The password is empty or not valid Unicode.", nameof(password));
            }

            return PhcArgon2idHash.Format(_parameters, salt, hash, CurrentPepper?.KeyId);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(hash);
        }
    }

    private bool TryFindPepper(PhcArgon2idHash stored, out Pepper? pepper)
    {
        pepper = null;
        foreach (var (name, value) in stored.ExtraParameters)
        {
            if (name != PhcArgon2idHash.KeyIdParameter || pepper is not null)
            {
                return false;
            }

            pepper = _peppers.FirstOrDefault(p => p.KeyId == value);
            if (pepper is null)
            {
                return false;
            }
        }

        return true;
    }

    private PasswordVerification Verify(IArgon2idEngine engine, string password, PhcArgon2idHash stored, Pepper? pepper)
    {
        Span<byte> computed = stackalloc byte[PhcArgon2idHash.MaxHashLength];
        computed = computed[..stored.Hash.Length];
        try
        {
            // Constant time: how many leading bytes matched must not show in the response time.
            var matches = TryDerive(engine, password, pepper, stored.Salt.Span, stored.Parameters, computed)
                && CryptographicOperations.FixedTimeEquals(computed, stored.Hash.Span);
            if (!matches)
            {
                return PasswordVerification.Failed;
            }

            // A hash without the newest pepper (or with none) is upgraded like a parameter change.
            var current = stored.Parameters == _parameters
                && pepper == CurrentPepper
                && stored.Salt.Length == SaltLength
                && stored.Hash.Length == HashLength;
            return current ? PasswordVerification.Succeeded : PasswordVerification.SucceededNeedsRehash;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(computed);
        }
    }

    private void Burn(string password)
    {
        Span<byte> salt = stackalloc byte[SaltLength];
        Span<byte> hash = stackalloc byte[HashLength];
        RandomNumberGenerator.Fill(salt);
        // An empty or invalid password returns at once here, as it does in Verify, whether or not the
        // user exists: that shortcut says nothing about the account.
        _ = TryDerive(_engine, password, CurrentPepper, salt, _parameters, hash);
        CryptographicOperations.ZeroMemory(hash);
    }

    /// <summary>
    /// NFKC-normalises <paramref name="password"/>, encodes it as UTF-8 into a pooled buffer that is
    /// zeroed afterwards, and derives the hash. False for an empty password or a lone surrogate, which
    /// no keyboard produces and which UTF-8 cannot encode.
    /// </summary>
    /// <remarks>
    /// The normalised copy is a managed string like the password itself and cannot be wiped; the
    /// byte copies that reach the engine can, and are.
    /// </remarks>
    private static bool TryDerive(
        IArgon2idEngine engine,
        string password,
        Pepper? pepper,
        ReadOnlySpan<byte> salt,
        Argon2idParameters parameters,
        Span<byte> hash)
    {
        string normalized;
        try
        {
            normalized = password.Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException)
        {
            // ICU refuses to normalise invalid UTF-16.
            return false;
        }

        if (normalized.Length == 0)
        {
            return false;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(normalized.Length));
        try
        {
            // Checked here as well because without ICU Normalize passes invalid UTF-16 through.
            var status = Utf8.FromUtf16(normalized, buffer, out _, out var length, replaceInvalidSequences: false);
            if (status != OperationStatus.Done)
            {
                return false;
            }

            if (pepper is null)
            {
                engine.DeriveKey(buffer.AsSpan(0, length), salt, parameters, hash);
                return true;
            }

            Span<byte> mac = stackalloc byte[Pepper.Length];
            try
            {
                pepper.Mac(buffer.AsSpan(0, length), mac);
                engine.DeriveKey(mac, salt, parameters, hash);
                return true;
            }
            finally
            {
                CryptographicOperations.ZeroMemory(mac);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
