using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;

namespace Paseto.Auth.Infrastructure.Security;

/// <summary>
/// Unkeyed BLAKE2b (RFC 7693) with 1 to 64 bytes of output, the hash Argon2id builds on (its
/// <c>H</c> and, through <see cref="Argon2idAlgorithm.HPrime"/>, its <c>H'</c>).
/// </summary>
/// <remarks>
/// Argon2id hashes only a few kilobytes with it per password hash (the first blocks of each lane
/// and the tag), so it is written for clarity: one compression over four <see cref="Vector256{T}"/>
/// rows when AVX2 is there, sixteen words otherwise. The state is wiped when the hash is done,
/// because what it hashes is the password.
/// </remarks>
internal struct Blake2b
{
    public const int BlockLength = 128;
    public const int MaxHashLength = 64;

    private static readonly ulong[] _initialValues =
    [
        0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
        0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179,
    ];

    /// <summary>The message schedule: for each of the 12 rounds (the last two repeat the first two), which word each step reads.</summary>
    private static readonly byte[] _sigma =
    [
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
        14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3,
        11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4,
        7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8,
        9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13,
        2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9,
        12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11,
        13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10,
        6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5,
        10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0,
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
        14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3,
    ];

    private StateWords _state;
    private BlockBytes _buffer;
    private int _buffered;
    private ulong _counter;
    private readonly int _hashLength;
    private readonly bool _vectorized;

    /// <param name="hashLength">1 to 64 bytes; part of the parameter block, so a shorter hash is not a prefix of a longer one.</param>
    /// <param name="vectorized">Use the AVX2 compression; callers pass <see cref="Argon2idAlgorithm.IsVectorized"/>, tests either path.</param>
    public Blake2b(int hashLength, bool vectorized)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hashLength, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hashLength, MaxHashLength);
        if (vectorized && !Avx2.IsSupported)
        {
            throw new PlatformNotSupportedException("AVX2 is not available in this process.");
        }

        _hashLength = hashLength;
        _vectorized = vectorized;
        _initialValues.CopyTo(_state);
        // Parameter block word 0: digest length, no key, fanout 1, depth 1.
        _state[0] ^= 0x01010000UL ^ (ulong)hashLength;
    }

    /// <summary>Hashes <paramref name="input"/> into all of <paramref name="hash"/> (1 to 64 bytes).</summary>
    public static void Hash(ReadOnlySpan<byte> input, Span<byte> hash, bool vectorized)
    {
        var blake = new Blake2b(hash.Length, vectorized);
        blake.Update(input);
        blake.Finish(hash);
    }

    public void Update(ReadOnlySpan<byte> input)
    {
        Span<byte> buffer = _buffer;
        while (!input.IsEmpty)
        {
            // The last block is compressed with the final flag, so a full buffer waits for more input.
            if (_buffered == BlockLength)
            {
                _counter += BlockLength;
                Compress(buffer, last: false);
                _buffered = 0;
            }

            var take = Math.Min(BlockLength - _buffered, input.Length);
            input[..take].CopyTo(buffer[_buffered..]);
            _buffered += take;
            input = input[take..];
        }
    }

    /// <summary>Writes the little-endian 32-bit <paramref name="value"/>, as Argon2 frames its inputs.</summary>
    public void UpdateLittleEndian(uint value)
    {
        Span<byte> bytes = stackalloc byte[sizeof(uint)];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        Update(bytes);
    }

    /// <summary>Writes the hash and wipes the state; the instance is spent.</summary>
    public void Finish(Span<byte> hash)
    {
        if (hash.Length != _hashLength)
        {
            throw new ArgumentException($"The hash is {_hashLength} bytes long.", nameof(hash));
        }

        Span<byte> buffer = _buffer;
        _counter += (ulong)_buffered;
        buffer[_buffered..].Clear();
        Compress(buffer, last: true);
        Span<byte> output = stackalloc byte[MaxHashLength];
        for (var i = 0; i < 8; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(output[(i * 8)..], _state[i]);
        }

        output[..hash.Length].CopyTo(hash);
        CryptographicOperations.ZeroMemory(output);
        CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes((Span<ulong>)_state));
        CryptographicOperations.ZeroMemory(buffer);
    }

    private void Compress(ReadOnlySpan<byte> block, bool last)
    {
        Span<ulong> message = stackalloc ulong[16];
        for (var i = 0; i < 16; i++)
        {
            message[i] = BinaryPrimitives.ReadUInt64LittleEndian(block[(i * 8)..]);
        }

        if (_vectorized)
        {
            CompressVector(_state, message, _counter, last);
        }
        else
        {
            CompressScalar(_state, message, _counter, last);
        }

        CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(message));
    }

    private static void CompressScalar(Span<ulong> h, ReadOnlySpan<ulong> m, ulong counter, bool last)
    {
        Span<ulong> v = stackalloc ulong[16];
        h.CopyTo(v);
        _initialValues.CopyTo(v[8..]);
        v[12] ^= counter;
        if (last)
        {
            v[14] = ~v[14];
        }

        for (var round = 0; round < 12; round++)
        {
            var s = _sigma.AsSpan(round * 16, 16);
            Mix(ref v[0], ref v[4], ref v[8], ref v[12], m[s[0]], m[s[1]]);
            Mix(ref v[1], ref v[5], ref v[9], ref v[13], m[s[2]], m[s[3]]);
            Mix(ref v[2], ref v[6], ref v[10], ref v[14], m[s[4]], m[s[5]]);
            Mix(ref v[3], ref v[7], ref v[11], ref v[15], m[s[6]], m[s[7]]);
            Mix(ref v[0], ref v[5], ref v[10], ref v[15], m[s[8]], m[s[9]]);
            Mix(ref v[1], ref v[6], ref v[11], ref v[12], m[s[10]], m[s[11]]);
            Mix(ref v[2], ref v[7], ref v[8], ref v[13], m[s[12]], m[s[13]]);
            Mix(ref v[3], ref v[4], ref v[9], ref v[14], m[s[14]], m[s[15]]);
        }

        for (var i = 0; i < 8; i++)
        {
            h[i] ^= v[i] ^ v[i + 8];
        }

        CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(v));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Mix(ref ulong a, ref ulong b, ref ulong c, ref ulong d, ulong x, ulong y)
    {
        a += b + x;
        d = ulong.RotateRight(d ^ a, 32);
        c += d;
        b = ulong.RotateRight(b ^ c, 24);
        a += b + y;
        d = ulong.RotateRight(d ^ a, 16);
        c += d;
        b = ulong.RotateRight(b ^ c, 63);
    }

    /// <summary>
    /// The same compression with the state as four rows of four words: one mix of each
    /// row's lanes does the four column steps at once; rotating rows 2–4 by one, two and three lanes
    /// lines the diagonals up for the other four.
    /// </summary>
    private static void CompressVector(Span<ulong> h, ReadOnlySpan<ulong> m, ulong counter, bool last)
    {
        var row1 = Vector256.Create<ulong>(h[..4]);
        var row2 = Vector256.Create<ulong>(h[4..]);
        var row3 = Vector256.Create<ulong>(_initialValues.AsSpan(0, 4));
        var row4 = Vector256.Create<ulong>(_initialValues.AsSpan(4, 4)) ^ Vector256.Create(counter, 0, last ? ulong.MaxValue : 0, 0);
        var (first1, first2) = (row1, row2);

        for (var round = 0; round < 12; round++)
        {
            var s = _sigma.AsSpan(round * 16, 16);
            Mix(ref row1, ref row2, ref row3, ref row4,
                Vector256.Create(m[s[0]], m[s[2]], m[s[4]], m[s[6]]),
                Vector256.Create(m[s[1]], m[s[3]], m[s[5]], m[s[7]]));
            row2 = Avx2.Permute4x64(row2, 0b00_11_10_01);
            row3 = Avx2.Permute4x64(row3, 0b01_00_11_10);
            row4 = Avx2.Permute4x64(row4, 0b10_01_00_11);
            Mix(ref row1, ref row2, ref row3, ref row4,
                Vector256.Create(m[s[8]], m[s[10]], m[s[12]], m[s[14]]),
                Vector256.Create(m[s[9]], m[s[11]], m[s[13]], m[s[15]]));
            row2 = Avx2.Permute4x64(row2, 0b10_01_00_11);
            row3 = Avx2.Permute4x64(row3, 0b01_00_11_10);
            row4 = Avx2.Permute4x64(row4, 0b00_11_10_01);
        }

        (first1 ^ row1 ^ row3).CopyTo(h);
        (first2 ^ row2 ^ row4).CopyTo(h[4..]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Mix(
        ref Vector256<ulong> a, ref Vector256<ulong> b, ref Vector256<ulong> c, ref Vector256<ulong> d,
        Vector256<ulong> x, Vector256<ulong> y)
    {
        a += b + x;
        d = Argon2idCompression.RotateRight32(d ^ a);
        c += d;
        b = Argon2idCompression.RotateRight24(b ^ c);
        a += b + y;
        d = Argon2idCompression.RotateRight16(d ^ a);
        c += d;
        b = Argon2idCompression.RotateRight63(b ^ c);
    }

    [InlineArray(8)]
    private struct StateWords
    {
        private ulong _element;
    }

    [InlineArray(BlockLength)]
    private struct BlockBytes
    {
        private byte _element;
    }
}
