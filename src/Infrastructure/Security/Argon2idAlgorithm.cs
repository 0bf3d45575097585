using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;

namespace Paseto.Auth.Infrastructure.Security;

/// <summary>Argon2id, version 0x13 (RFC 9106), over memory the caller owns.</summary>
/// <remarks>
/// Lanes are computed one after another within each slice (the RFC allows any order inside a
/// slice, since no lane reads another lane's current slice), so one hash uses one thread and
/// <c>p</c> changes the result, not the threads used: the hasher already runs one hash per core.
/// </remarks>
internal static class Argon2idAlgorithm
{
    /// <summary>Scratch words a computation needs besides its memory: one block for G, and the zero, input and address blocks of data-independent addressing.</summary>
    public const int ScratchWords = 4 * Argon2idCompression.BlockWords;

    private const int Version = 0x13;
    private const int TypeId = 2;
    private const int SyncPoints = 4;
    private const int AddressesPerBlock = Argon2idCompression.BlockWords;

    /// <summary>Whether this process computes with the AVX2 path (false, for example, under <c>DOTNET_EnableAVX2=0</c>).</summary>
    public static bool IsVectorized => Avx2.IsSupported;

    /// <summary>The blocks (1 KiB each) a hash of <paramref name="memoryKiB"/> and <paramref name="lanes"/> works on: m rounded down to a multiple of 4p.</summary>
    public static int MemoryBlocks(int memoryKiB, int lanes) => Math.Max(memoryKiB, 2 * SyncPoints * lanes) / (SyncPoints * lanes) * (SyncPoints * lanes);

    /// <summary>
    /// Computes the tag into all of <paramref name="tag"/> (4 bytes or more). <paramref name="memory"/>
    /// holds at least <see cref="MemoryBlocks"/> blocks of 128 words and <paramref name="scratch"/>
    /// <see cref="ScratchWords"/>; both are left holding derived data, which the caller wipes.
    /// </summary>
    public static void Compute(
        ReadOnlySpan<byte> password,
        ReadOnlySpan<byte> salt,
        ReadOnlySpan<byte> secret,
        ReadOnlySpan<byte> associatedData,
        Argon2idParameters parameters,
        Span<byte> tag,
        Span<ulong> memory,
        Span<ulong> scratch,
        bool vectorized)
    {
        var (memoryKiB, iterations, lanes) = parameters;
        ArgumentOutOfRangeException.ThrowIfLessThan(lanes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(tag.Length, 4);
        ArgumentOutOfRangeException.ThrowIfLessThan(memoryKiB, 2 * SyncPoints * lanes);
        if (!BitConverter.IsLittleEndian)
        {
            // Blocks are read as the little-endian words of H' output without conversion.
            throw new PlatformNotSupportedException("This Argon2id needs a little-endian machine.");
        }

        var blocks = MemoryBlocks(memoryKiB, lanes);
        if (memory.Length < blocks * Argon2idCompression.BlockWords || scratch.Length < ScratchWords)
        {
            throw new ArgumentException("The memory or the scratch space is too small for these parameters.");
        }

        var instance = new Instance(memory[..(blocks * Argon2idCompression.BlockWords)], scratch, lanes, iterations, blocks, vectorized);

        Span<byte> seed = stackalloc byte[Blake2b.MaxHashLength + 8];
        try
        {
            InitialHash(password, salt, secret, associatedData, parameters, tag.Length, vectorized, seed[..Blake2b.MaxHashLength]);
            for (var lane = 0; lane < lanes; lane++)
            {
                BinaryPrimitives.WriteInt32LittleEndian(seed[(Blake2b.MaxHashLength + 4)..], lane);
                for (var column = 0; column < 2; column++)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(seed[Blake2b.MaxHashLength..], column);
                    HPrime(seed, MemoryMarshal.AsBytes(instance.Block((lane * instance.LaneLength) + column)), vectorized);
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }

        for (var pass = 0; pass < iterations; pass++)
        {
            for (var slice = 0; slice < SyncPoints; slice++)
            {
                for (var lane = 0; lane < lanes; lane++)
                {
                    FillSegment(instance, pass, slice, lane);
                }
            }
        }

        // C = XOR of every lane's last block; the tag is H'(C).
        var final = scratch[..Argon2idCompression.BlockWords];
        instance.Block(instance.LaneLength - 1).CopyTo(final);
        for (var lane = 1; lane < lanes; lane++)
        {
            var last = instance.Block((lane * instance.LaneLength) + instance.LaneLength - 1);
            for (var k = 0; k < Argon2idCompression.BlockWords; k++)
            {
                final[k] ^= last[k];
            }
        }

        HPrime(MemoryMarshal.AsBytes(final), tag, vectorized);
    }

    /// <summary>
    /// <c>H'</c> (RFC 9106 §3.3): BLAKE2b of the output length and the input when that fits in 64
    /// bytes; otherwise a chain of 64-byte BLAKE2b hashes, each contributing its first 32 bytes,
    /// and a last one as long as what remains.
    /// </summary>
    public static void HPrime(ReadOnlySpan<byte> input, Span<byte> output, bool vectorized)
    {
        if (output.Length <= Blake2b.MaxHashLength)
        {
            var blake = new Blake2b(output.Length, vectorized);
            blake.UpdateLittleEndian((uint)output.Length);
            blake.Update(input);
            blake.Finish(output);
            return;
        }

        Span<byte> chain = stackalloc byte[Blake2b.MaxHashLength];
        try
        {
            var first = new Blake2b(Blake2b.MaxHashLength, vectorized);
            first.UpdateLittleEndian((uint)output.Length);
            first.Update(input);
            first.Finish(chain);
            chain[..32].CopyTo(output);
            var written = 32;
            while (output.Length - written > Blake2b.MaxHashLength)
            {
                Blake2b.Hash(chain, chain, vectorized);
                chain[..32].CopyTo(output[written..]);
                written += 32;
            }

            Blake2b.Hash(chain, output[written..], vectorized);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(chain);
        }
    }

    /// <summary><c>H0</c> (RFC 9106 §3.2): BLAKE2b-512 of every parameter and input, each length-prefixed.</summary>
    private static void InitialHash(
        ReadOnlySpan<byte> password,
        ReadOnlySpan<byte> salt,
        ReadOnlySpan<byte> secret,
        ReadOnlySpan<byte> associatedData,
        Argon2idParameters parameters,
        int tagLength,
        bool vectorized,
        Span<byte> h0)
    {
        var blake = new Blake2b(Blake2b.MaxHashLength, vectorized);
        blake.UpdateLittleEndian((uint)parameters.Parallelism);
        blake.UpdateLittleEndian((uint)tagLength);
        blake.UpdateLittleEndian((uint)parameters.MemoryKiB);
        blake.UpdateLittleEndian((uint)parameters.Iterations);
        blake.UpdateLittleEndian(Version);
        blake.UpdateLittleEndian(TypeId);
        blake.UpdateLittleEndian((uint)password.Length);
        blake.Update(password);
        blake.UpdateLittleEndian((uint)salt.Length);
        blake.Update(salt);
        blake.UpdateLittleEndian((uint)secret.Length);
        blake.Update(secret);
        blake.UpdateLittleEndian((uint)associatedData.Length);
        blake.Update(associatedData);
        blake.Finish(h0);
    }

    /// <summary>One lane's segment of one slice of one pass (RFC 9106 §3.4).</summary>
    private static void FillSegment(Instance instance, int pass, int slice, int lane)
    {
        var segmentLength = instance.LaneLength / SyncPoints;
        // Argon2id: the first half of the first pass addresses independently of the data (as Argon2i),
        // the rest from the previous block (as Argon2d).
        var independent = pass == 0 && slice < SyncPoints / 2;
        var zero = instance.Scratch.Slice(Argon2idCompression.BlockWords, Argon2idCompression.BlockWords);
        var input = instance.Scratch.Slice(2 * Argon2idCompression.BlockWords, Argon2idCompression.BlockWords);
        var addresses = instance.Scratch.Slice(3 * Argon2idCompression.BlockWords, Argon2idCompression.BlockWords);
        var fill = instance.Scratch[..Argon2idCompression.BlockWords];

        var start = pass == 0 && slice == 0 ? 2 : 0;
        if (independent)
        {
            zero.Clear();
            input.Clear();
            input[0] = (ulong)pass;
            input[1] = (ulong)lane;
            input[2] = (ulong)slice;
            input[3] = (ulong)instance.Blocks;
            input[4] = (ulong)instance.Iterations;
            input[5] = TypeId;
            if (start == 2)
            {
                NextAddresses(instance, zero, input, addresses, fill);
            }
        }

        var current = (lane * instance.LaneLength) + (slice * segmentLength) + start;
        var previous = current % instance.LaneLength == 0 ? current + instance.LaneLength - 1 : current - 1;
        for (var index = start; index < segmentLength; index++, current++, previous++)
        {
            if (current % instance.LaneLength == 1)
            {
                previous = current - 1;
            }

            ulong pseudoRandom;
            if (independent)
            {
                if (index % AddressesPerBlock == 0)
                {
                    NextAddresses(instance, zero, input, addresses, fill);
                }

                pseudoRandom = addresses[index % AddressesPerBlock];
            }
            else
            {
                pseudoRandom = instance.Memory[previous * Argon2idCompression.BlockWords];
            }

            var referenceLane = pass == 0 && slice == 0 ? lane : (int)((pseudoRandom >> 32) % (ulong)instance.Lanes);
            var referenceIndex = ReferenceIndex(instance, pass, slice, index, (uint)pseudoRandom, referenceLane == lane);
            Argon2idCompression.FillBlock(
                instance.Block(previous),
                instance.Block((referenceLane * instance.LaneLength) + referenceIndex),
                instance.Block(current),
                fill,
                xorInto: pass != 0,
                instance.Vectorized);
        }
    }

    /// <summary>The next 128 reference positions of data-independent addressing: <c>G(0, G(0, input))</c> with the input's counter advanced.</summary>
    private static void NextAddresses(Instance instance, Span<ulong> zero, Span<ulong> input, Span<ulong> addresses, Span<ulong> fill)
    {
        input[6]++;
        Argon2idCompression.FillBlock(zero, input, addresses, fill, xorInto: false, instance.Vectorized);
        Argon2idCompression.FillBlock(zero, addresses, addresses, fill, xorInto: false, instance.Vectorized);
    }

    /// <summary>The reference block's index in its lane (RFC 9106 §3.4.1.2), from the low 32 bits of the pseudo-random value.</summary>
    private static int ReferenceIndex(Instance instance, int pass, int slice, int index, uint j1, bool sameLane)
    {
        var segmentLength = (uint)(instance.LaneLength / SyncPoints);
        uint areaSize;
        if (pass == 0)
        {
            areaSize = slice == 0
                ? (uint)index - 1
                : sameLane
                    ? ((uint)slice * segmentLength) + (uint)index - 1
                    : ((uint)slice * segmentLength) - (index == 0 ? 1u : 0u);
        }
        else
        {
            areaSize = sameLane
                ? (uint)instance.LaneLength - segmentLength + (uint)index - 1
                : (uint)instance.LaneLength - segmentLength - (index == 0 ? 1u : 0u);
        }

        ulong relative = j1;
        relative = (relative * relative) >> 32;
        relative = areaSize - 1 - ((areaSize * relative) >> 32);
        var startPosition = pass == 0 || slice == SyncPoints - 1 ? 0 : (ulong)(slice + 1) * segmentLength;
        return (int)((startPosition + relative) % (ulong)instance.LaneLength);
    }

    private readonly ref struct Instance(Span<ulong> memory, Span<ulong> scratch, int lanes, int iterations, int blocks, bool vectorized)
    {
        public Span<ulong> Memory { get; } = memory;

        public Span<ulong> Scratch { get; } = scratch;

        public int Lanes { get; } = lanes;

        public int Iterations { get; } = iterations;

        public int Blocks { get; } = blocks;

        public int LaneLength { get; } = blocks / lanes;

        public bool Vectorized { get; } = vectorized;

        public Span<ulong> Block(int index) => Memory.Slice(index * Argon2idCompression.BlockWords, Argon2idCompression.BlockWords);
    }
}
