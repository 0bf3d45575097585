using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Paseto.Auth.Infrastructure.Security;

/// <summary>
/// Argon2's compression function <c>G</c> (RFC 9106 §3.5) over 1 KiB blocks of 128 words:
/// <c>R = X ⊕ Y</c>, the BLAKE2b-based permutation <c>P</c> on each of the 8 rows of 16 words and
/// then on each of the 8 columns of 16 words, and the result XORed with <c>R</c> (and, after the
/// first pass, with the block it overwrites).
/// </summary>
/// <remarks>
/// This is where an Argon2id hash spends its time (two compressions per KiB per pass), so it has an
/// AVX2 path over <see cref="Vector256{T}"/> that handles four words per instruction, and a scalar
/// one for processes without AVX2 (for example with <c>DOTNET_EnableAVX2=0</c>). Both write the
/// same bytes; the tests run both.
/// </remarks>
internal static class Argon2idCompression
{
    public const int BlockWords = 128;

    private const int BlockVectors = BlockWords / 4;

    /// <summary>
    /// <c>next = G(prev, reference)</c>, or <c>next ^= G(prev, reference)</c> with <paramref name="xorInto"/>.
    /// <paramref name="reference"/> may be <paramref name="next"/> itself; <paramref name="scratch"/> is one block.
    /// </summary>
    public static void FillBlock(
        ReadOnlySpan<ulong> prev,
        ReadOnlySpan<ulong> reference,
        Span<ulong> next,
        Span<ulong> scratch,
        bool xorInto,
        bool vectorized)
    {
        if (prev.Length < BlockWords || reference.Length < BlockWords || next.Length < BlockWords || scratch.Length < BlockWords)
        {
            throw new ArgumentException("Blocks are 128 words.");
        }

        if (vectorized)
        {
            if (!Avx2.IsSupported)
            {
                throw new PlatformNotSupportedException("AVX2 is not available in this process.");
            }

            FillBlockVector(
                ref AsVectors(prev),
                ref AsVectors(reference),
                ref Unsafe.As<ulong, Vector256<ulong>>(ref MemoryMarshal.GetReference(next)),
                ref Unsafe.As<ulong, Vector256<ulong>>(ref MemoryMarshal.GetReference(scratch)),
                xorInto);
        }
        else
        {
            FillBlockScalar(
                ref MemoryMarshal.GetReference(prev),
                ref MemoryMarshal.GetReference(reference),
                ref MemoryMarshal.GetReference(next),
                ref MemoryMarshal.GetReference(scratch),
                xorInto);
        }
    }

    private static ref Vector256<ulong> AsVectors(ReadOnlySpan<ulong> block) =>
        ref Unsafe.As<ulong, Vector256<ulong>>(ref MemoryMarshal.GetReference(block));

    // next is overwritten with R and permuted in place; scratch keeps R (XORed with the old block
    // when the pass asks for it) for the final XOR, so nothing else needs a block of its own.
    private static void FillBlockVector(
        ref Vector256<ulong> prev,
        ref Vector256<ulong> reference,
        ref Vector256<ulong> next,
        ref Vector256<ulong> scratch,
        bool xorInto)
    {
        for (var k = 0; k < BlockVectors; k++)
        {
            var r = Unsafe.Add(ref prev, k) ^ Unsafe.Add(ref reference, k);
            Unsafe.Add(ref scratch, k) = xorInto ? r ^ Unsafe.Add(ref next, k) : r;
            Unsafe.Add(ref next, k) = r;
        }

        for (var i = 0; i < 4; i++)
        {
            RowsRound(ref Unsafe.Add(ref next, 8 * i));
        }

        for (var i = 0; i < 4; i++)
        {
            ColumnsRound(ref Unsafe.Add(ref next, i));
        }

        for (var k = 0; k < BlockVectors; k++)
        {
            Unsafe.Add(ref next, k) ^= Unsafe.Add(ref scratch, k);
        }
    }

    /// <summary>
    /// <c>P</c> on two rows at once (rows 2i and 2i+1, 32 consecutive words): each row is four
    /// vectors a, b, c, d, so one mix of them is the four column steps, and rotating b,
    /// c, d by one, two and three lanes lines the diagonals up. Two independent rows interleaved keep
    /// the core busy while one waits on a multiply.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RowsRound(ref Vector256<ulong> rows)
    {
        var a0 = rows;
        var b0 = Unsafe.Add(ref rows, 1);
        var c0 = Unsafe.Add(ref rows, 2);
        var d0 = Unsafe.Add(ref rows, 3);
        var a1 = Unsafe.Add(ref rows, 4);
        var b1 = Unsafe.Add(ref rows, 5);
        var c1 = Unsafe.Add(ref rows, 6);
        var d1 = Unsafe.Add(ref rows, 7);

        Mix(ref a0, ref b0, ref c0, ref d0);
        Mix(ref a1, ref b1, ref c1, ref d1);
        b0 = Avx2.Permute4x64(b0, 0b00_11_10_01);
        c0 = Avx2.Permute4x64(c0, 0b01_00_11_10);
        d0 = Avx2.Permute4x64(d0, 0b10_01_00_11);
        b1 = Avx2.Permute4x64(b1, 0b00_11_10_01);
        c1 = Avx2.Permute4x64(c1, 0b01_00_11_10);
        d1 = Avx2.Permute4x64(d1, 0b10_01_00_11);
        Mix(ref a0, ref b0, ref c0, ref d0);
        Mix(ref a1, ref b1, ref c1, ref d1);
        b0 = Avx2.Permute4x64(b0, 0b10_01_00_11);
        c0 = Avx2.Permute4x64(c0, 0b01_00_11_10);
        d0 = Avx2.Permute4x64(d0, 0b00_11_10_01);
        b1 = Avx2.Permute4x64(b1, 0b10_01_00_11);
        c1 = Avx2.Permute4x64(c1, 0b01_00_11_10);
        d1 = Avx2.Permute4x64(d1, 0b00_11_10_01);

        rows = a0;
        Unsafe.Add(ref rows, 1) = b0;
        Unsafe.Add(ref rows, 2) = c0;
        Unsafe.Add(ref rows, 3) = d0;
        Unsafe.Add(ref rows, 4) = a1;
        Unsafe.Add(ref rows, 5) = b1;
        Unsafe.Add(ref rows, 6) = c1;
        Unsafe.Add(ref rows, 7) = d1;
    }

    /// <summary>
    /// <c>P</c> on two columns at once (columns 2i and 2i+1). Column j is the word pairs
    /// (2j, 2j+1), (2j+16, 2j+17) … (2j+112, 2j+113), its v0…v15; vector i + 4k holds pair k of
    /// both columns, so a0 = (v0, v1), a1 = (v2, v3), b0 = (v4, v5) … d1 = (v14, v15), each for
    /// both columns in its two 128-bit halves. The column steps pair up as they are; for the
    /// diagonals, c0 and c1 swap and b and d trade halves of their 128-bit lanes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ColumnsRound(ref Vector256<ulong> column)
    {
        var a0 = column;
        var a1 = Unsafe.Add(ref column, 4);
        var b0 = Unsafe.Add(ref column, 8);
        var b1 = Unsafe.Add(ref column, 12);
        var c0 = Unsafe.Add(ref column, 16);
        var c1 = Unsafe.Add(ref column, 20);
        var d0 = Unsafe.Add(ref column, 24);
        var d1 = Unsafe.Add(ref column, 28);

        Mix(ref a0, ref b0, ref c0, ref d0);
        Mix(ref a1, ref b1, ref c1, ref d1);

        // (v5, v6) and (v7, v4); (v15, v12) and (v13, v14).
        var tb0 = AlignRight8(b1, b0);
        var tb1 = AlignRight8(b0, b1);
        var td0 = AlignRight8(d0, d1);
        var td1 = AlignRight8(d1, d0);
        Mix(ref a0, ref tb0, ref c1, ref td0);
        Mix(ref a1, ref tb1, ref c0, ref td1);
        b0 = AlignRight8(tb0, tb1);
        b1 = AlignRight8(tb1, tb0);
        d0 = AlignRight8(td1, td0);
        d1 = AlignRight8(td0, td1);

        column = a0;
        Unsafe.Add(ref column, 4) = a1;
        Unsafe.Add(ref column, 8) = b0;
        Unsafe.Add(ref column, 12) = b1;
        Unsafe.Add(ref column, 16) = c0;
        Unsafe.Add(ref column, 20) = c1;
        Unsafe.Add(ref column, 24) = d0;
        Unsafe.Add(ref column, 28) = d1;
    }

    /// <summary>In each 128-bit lane: (the high word of <paramref name="low"/>, the low word of <paramref name="high"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> AlignRight8(Vector256<ulong> high, Vector256<ulong> low) =>
        Avx2.AlignRight(high.AsByte(), low.AsByte(), 8).AsUInt64();

    /// <summary>Argon2's <c>GB</c> on four lanes at once: BLAKE2b's mixing with <c>a + b + 2·lo(a)·lo(b)</c> for each addition.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Mix(ref Vector256<ulong> a, ref Vector256<ulong> b, ref Vector256<ulong> c, ref Vector256<ulong> d)
    {
        a = MultiplyAdd(a, b);
        d = RotateRight32(d ^ a);
        c = MultiplyAdd(c, d);
        b = RotateRight24(b ^ c);
        a = MultiplyAdd(a, b);
        d = RotateRight16(d ^ a);
        c = MultiplyAdd(c, d);
        b = RotateRight63(b ^ c);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> MultiplyAdd(Vector256<ulong> x, Vector256<ulong> y)
    {
        // vpmuludq: the low 32 bits of each word multiplied into 64.
        var product = Avx2.Multiply(x.AsUInt32(), y.AsUInt32());
        return x + y + product + product;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<ulong> RotateRight32(Vector256<ulong> x) =>
        Avx2.Shuffle(x.AsUInt32(), 0b10_11_00_01).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<ulong> RotateRight24(Vector256<ulong> x) =>
        Avx2.Shuffle(x.AsByte(), Vector256.Create((byte)3, 4, 5, 6, 7, 0, 1, 2, 11, 12, 13, 14, 15, 8, 9, 10, 3, 4, 5, 6, 7, 0, 1, 2, 11, 12, 13, 14, 15, 8, 9, 10)).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<ulong> RotateRight16(Vector256<ulong> x) =>
        Avx2.Shuffle(x.AsByte(), Vector256.Create((byte)2, 3, 4, 5, 6, 7, 0, 1, 10, 11, 12, 13, 14, 15, 8, 9, 2, 3, 4, 5, 6, 7, 0, 1, 10, 11, 12, 13, 14, 15, 8, 9)).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<ulong> RotateRight63(Vector256<ulong> x) =>
        Avx2.ShiftRightLogical(x, 63) ^ (x + x);

    private static void FillBlockScalar(ref ulong prev, ref ulong reference, ref ulong next, ref ulong scratch, bool xorInto)
    {
        for (var k = 0; k < BlockWords; k++)
        {
            var r = Unsafe.Add(ref prev, k) ^ Unsafe.Add(ref reference, k);
            Unsafe.Add(ref scratch, k) = xorInto ? r ^ Unsafe.Add(ref next, k) : r;
            Unsafe.Add(ref next, k) = r;
        }

        // Rows are 16 consecutive words; columns the word pairs 16 apart.
        for (var i = 0; i < 8; i++)
        {
            Permute(ref Unsafe.Add(ref next, 16 * i), pairStride: 2);
        }

        for (var i = 0; i < 8; i++)
        {
            Permute(ref Unsafe.Add(ref next, 2 * i), pairStride: 16);
        }

        for (var k = 0; k < BlockWords; k++)
        {
            Unsafe.Add(ref next, k) ^= Unsafe.Add(ref scratch, k);
        }
    }

    /// <summary>
    /// Argon2's permutation <c>P</c> (RFC 9106 §3.6) on sixteen words taken in pairs: v(2k) and
    /// v(2k+1) are the words at <c>k · pairStride</c> and the one after it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Permute(ref ulong origin, int pairStride)
    {
        // Worked on in locals, which the JIT keeps in registers, and written back once.
        var v0 = origin;
        var v1 = Unsafe.Add(ref origin, 1);
        var v2 = Unsafe.Add(ref origin, pairStride);
        var v3 = Unsafe.Add(ref origin, pairStride + 1);
        var v4 = Unsafe.Add(ref origin, 2 * pairStride);
        var v5 = Unsafe.Add(ref origin, (2 * pairStride) + 1);
        var v6 = Unsafe.Add(ref origin, 3 * pairStride);
        var v7 = Unsafe.Add(ref origin, (3 * pairStride) + 1);
        var v8 = Unsafe.Add(ref origin, 4 * pairStride);
        var v9 = Unsafe.Add(ref origin, (4 * pairStride) + 1);
        var v10 = Unsafe.Add(ref origin, 5 * pairStride);
        var v11 = Unsafe.Add(ref origin, (5 * pairStride) + 1);
        var v12 = Unsafe.Add(ref origin, 6 * pairStride);
        var v13 = Unsafe.Add(ref origin, (6 * pairStride) + 1);
        var v14 = Unsafe.Add(ref origin, 7 * pairStride);
        var v15 = Unsafe.Add(ref origin, (7 * pairStride) + 1);

        Mix(ref v0, ref v4, ref v8, ref v12);
        Mix(ref v1, ref v5, ref v9, ref v13);
        Mix(ref v2, ref v6, ref v10, ref v14);
        Mix(ref v3, ref v7, ref v11, ref v15);
        Mix(ref v0, ref v5, ref v10, ref v15);
        Mix(ref v1, ref v6, ref v11, ref v12);
        Mix(ref v2, ref v7, ref v8, ref v13);
        Mix(ref v3, ref v4, ref v9, ref v14);

        origin = v0;
        Unsafe.Add(ref origin, 1) = v1;
        Unsafe.Add(ref origin, pairStride) = v2;
        Unsafe.Add(ref origin, pairStride + 1) = v3;
        Unsafe.Add(ref origin, 2 * pairStride) = v4;
        Unsafe.Add(ref origin, (2 * pairStride) + 1) = v5;
        Unsafe.Add(ref origin, 3 * pairStride) = v6;
        Unsafe.Add(ref origin, (3 * pairStride) + 1) = v7;
        Unsafe.Add(ref origin, 4 * pairStride) = v8;
        Unsafe.Add(ref origin, (4 * pairStride) + 1) = v9;
        Unsafe.Add(ref origin, 5 * pairStride) = v10;
        Unsafe.Add(ref origin, (5 * pairStride) + 1) = v11;
        Unsafe.Add(ref origin, 6 * pairStride) = v12;
        Unsafe.Add(ref origin, (6 * pairStride) + 1) = v13;
        Unsafe.Add(ref origin, 7 * pairStride) = v14;
        Unsafe.Add(ref origin, (7 * pairStride) + 1) = v15;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Mix(ref ulong a, ref ulong b, ref ulong c, ref ulong d)
    {
        a = MultiplyAdd(a, b);
        d = ulong.RotateRight(d ^ a, 32);
        c = MultiplyAdd(c, d);
        b = ulong.RotateRight(b ^ c, 24);
        a = MultiplyAdd(a, b);
        d = ulong.RotateRight(d ^ a, 16);
        c = MultiplyAdd(c, d);
        b = ulong.RotateRight(b ^ c, 63);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong MultiplyAdd(ulong x, ulong y) => x + y + (2 * (ulong)(uint)x * (uint)y);
}
