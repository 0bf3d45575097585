using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Paseto.Auth.Infrastructure.Security;

/// <summary>
/// Argon2id of our own (<see cref="Argon2idAlgorithm"/>): AVX2 where the CPU has it, scalar code
/// where it does not, over memory it keeps from one hash to the next.
/// </summary>
/// <remarks>
/// <para>
/// libsodium maps and populates fresh memory for every hash (about 4,900 page faults for 19 MiB,
/// a third of the hash's time in the kernel), and cannot be handed memory to work in. This engine
/// keeps one workspace per hashing slot: taken the first time a slot hashes, reused ever after,
/// and wiped with <see cref="CryptographicOperations.ZeroMemory"/> after every hash, so no
/// password-derived block outlives the hash that made it.
/// </para>
/// <para>
/// Workspaces are sized for the configured memory. A stored hash that needs more (an older, more
/// expensive setting) gets a workspace of its own for that one hash, wiped and dropped afterwards,
/// so a single row cannot make the engine keep more memory. The pool never holds more than
/// <c>maxRetained</c> workspaces: the hasher's semaphore lets no more hashes run at once.
/// </para>
/// <para>
/// The workspaces live on the pinned object heap (the collector never moves or copies them, so no
/// stale copy of a block is left behind) and start on a 64-byte boundary, so no block straddles
/// more cache lines than it must.
/// </para>
/// </remarks>
internal sealed class SimdArgon2idEngine : IArgon2idEngine
{
    private const int MinSaltLength = 8;
    private const int MinHashLength = 4;

    private readonly int _retainedBlocks;
    private readonly int _maxRetained;
    private readonly bool _vectorized;
    // A stack under a lock: taken twice a hash, so never contended for long, and unlike
    // ConcurrentStack it allocates nothing per push.
    private readonly Stack<Workspace> _pool = new();
    private readonly Lock _poolLock = new();

    /// <param name="retainedMemoryKiB">The memory each kept workspace holds: the configured <c>m</c>.</param>
    /// <param name="maxRetained">How many workspaces to keep: the hasher's slot count.</param>
    public SimdArgon2idEngine(int retainedMemoryKiB, int maxRetained)
        : this(retainedMemoryKiB, maxRetained, Argon2idAlgorithm.IsVectorized)
    {
    }

    /// <param name="vectorized">False forces the scalar path (the tests run both on one machine).</param>
    internal SimdArgon2idEngine(int retainedMemoryKiB, int maxRetained, bool vectorized)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retainedMemoryKiB, Argon2idParameters.MinMemoryKiBPerLane);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(retainedMemoryKiB, Argon2idParameters.MaxMemoryKiB);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRetained, 1);
        _retainedBlocks = Argon2idAlgorithm.MemoryBlocks(retainedMemoryKiB, 1);
        _maxRetained = maxRetained;
        _vectorized = vectorized;
    }

    /// <summary>Whether this engine computes with AVX2.</summary>
    public bool IsVectorized => _vectorized;

    /// <summary>How many workspaces the engine keeps now (for tests).</summary>
    internal int RetainedWorkspaces
    {
        get
        {
            lock (_poolLock)
            {
                return _pool.Count;
            }
        }
    }

    /// <summary>Whether every kept workspace is all zeros, as it must be between hashes (for tests).</summary>
    internal bool RetainedWorkspacesAreWiped()
    {
        lock (_poolLock)
        {
            return _pool.All(w => !w.Memory.ContainsAnyExcept(0UL) && !w.Scratch.ContainsAnyExcept(0UL));
        }
    }

    public bool Supports(Argon2idParameters parameters, int saltLength, int hashLength) =>
        BitConverter.IsLittleEndian && parameters.IsWithinBounds && saltLength >= MinSaltLength && hashLength >= MinHashLength;

    public void DeriveKey(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, Argon2idParameters parameters, Span<byte> hash) =>
        DeriveKey(password, salt, [], [], parameters, hash);

    /// <summary>Argon2id with a secret (<c>K</c>) and associated data (<c>X</c>), which the password hasher does not use.</summary>
    internal void DeriveKey(
        ReadOnlySpan<byte> password,
        ReadOnlySpan<byte> salt,
        ReadOnlySpan<byte> secret,
        ReadOnlySpan<byte> associatedData,
        Argon2idParameters parameters,
        Span<byte> hash)
    {
        if (!Supports(parameters, salt.Length, hash.Length))
        {
            throw new ArgumentException($"This engine cannot hash with {parameters}, a {salt.Length}-byte salt and a {hash.Length}-byte hash.");
        }

        var blocks = Argon2idAlgorithm.MemoryBlocks(parameters.MemoryKiB, parameters.Parallelism);
        var retained = blocks <= _retainedBlocks;
        var workspace = retained ? Rent() : new Workspace(blocks);
        var memory = workspace.Memory[..(blocks * Argon2idCompression.BlockWords)];
        try
        {
            Argon2idAlgorithm.Compute(password, salt, secret, associatedData, parameters, hash, memory, workspace.Scratch, _vectorized);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(memory));
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(workspace.Scratch));
            if (retained)
            {
                Return(workspace);
            }
        }
    }

    private Workspace Rent()
    {
        lock (_poolLock)
        {
            if (_pool.TryPop(out var workspace))
            {
                return workspace;
            }
        }

        return new Workspace(_retainedBlocks);
    }

    private void Return(Workspace workspace)
    {
        lock (_poolLock)
        {
            if (_pool.Count < _maxRetained)
            {
                _pool.Push(workspace);
            }
        }
    }

    /// <summary>One hash's memory and scratch, 64-byte aligned, on the pinned object heap.</summary>
    private sealed class Workspace
    {
        private const int AlignmentWords = 64 / sizeof(ulong);

        private readonly ulong[] _words;
        private readonly int _offset;
        private readonly int _memoryWords;

        public Workspace(int blocks)
        {
            _memoryWords = blocks * Argon2idCompression.BlockWords;
            _words = GC.AllocateArray<ulong>(_memoryWords + Argon2idAlgorithm.ScratchWords + AlignmentWords, pinned: true);
            var address = Marshal.UnsafeAddrOfPinnedArrayElement(_words, 0);
            _offset = (int)((64 - (address % 64)) % 64) / sizeof(ulong);
        }

        public Span<ulong> Memory => _words.AsSpan(_offset, _memoryWords);

        public Span<ulong> Scratch => _words.AsSpan(_offset + _memoryWords, Argon2idAlgorithm.ScratchWords);
    }
}
