using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Paseto.Auth.Infrastructure.Security;

/// <summary>
/// The operator's blocklist (<c>Auth:Passwords:BlocklistFile</c>): one password per line, or one
/// SHA-1 in hex per line as breach corpora ship them (a <c>:count</c> suffix is ignored). The
/// file is streamed once into a Bloom filter of SHA-1 digests (about 10 bits per entry, 1 % false
/// positives — a refused password that was not on the list only makes its owner pick another), so
/// even a corpus of hundreds of millions of lines never sits in memory whole.
/// </summary>
internal sealed class OperatorPasswordList
{
    private const int HashFunctions = 7;
    private readonly ulong[] _bits;
    private readonly ulong _bitCount;

    private OperatorPasswordList(ulong bitCount)
    {
        _bitCount = bitCount;
        _bits = new ulong[(bitCount + 63) / 64];
    }

    public long Entries { get; private set; }

    public static OperatorPasswordList Load(string path, long maxBytes)
    {
        var length = new FileInfo(path).Length;
        // A line is at least ~8 bytes; size the filter from the file, within the memory budget.
        var estimatedLines = Math.Max(1024, length / 8);
        var bitCount = (ulong)Math.Min(estimatedLines * 10, maxBytes * 8);
        var list = new OperatorPasswordList(bitCount);
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, new FileStreamOptions { BufferSize = 1 << 16 });
        Span<byte> digest = stackalloc byte[20];
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (TryParseSha1(line, digest) || TryHash(line, digest))
            {
                list.Add(digest);
            }
        }

        return list;
    }

    public bool Contains(string password)
    {
        Span<byte> digest = stackalloc byte[20];
        return TryHash(password, digest) && MayContain(digest);
    }

    private void Add(ReadOnlySpan<byte> digest)
    {
        foreach (var bit in Bits(digest))
        {
            _bits[bit / 64] |= 1UL << (int)(bit % 64);
        }

        Entries++;
    }

    private bool MayContain(ReadOnlySpan<byte> digest)
    {
        foreach (var bit in Bits(digest))
        {
            if ((_bits[bit / 64] & (1UL << (int)(bit % 64))) == 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Double hashing over two 64-bit halves of the SHA-1 (Kirsch–Mitzenmacher).</summary>
    private ulong[] Bits(ReadOnlySpan<byte> digest)
    {
        var h1 = BinaryPrimitives.ReadUInt64BigEndian(digest);
        var h2 = BinaryPrimitives.ReadUInt64BigEndian(digest[8..]) | 1;
        var bits = new ulong[HashFunctions];
        for (var i = 0; i < HashFunctions; i++)
        {
            bits[i] = (h1 + ((ulong)i * h2)) % _bitCount;
        }

        return bits;
    }

    private static bool TryParseSha1(string line, Span<byte> digest)
    {
        var hex = line.AsSpan();
        var colon = hex.IndexOf(':');
        if (colon >= 0)
        {
            hex = hex[..colon];
        }

        return hex.Length == 40
            && Convert.FromHexString(hex, digest, out _, out var written) == OperationStatus.Done
            && written == 20;
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350:Do not use weak cryptographic algorithms",
        Justification = "SHA-1 is the lookup key breach corpora are published in; nothing here relies on its collision resistance.")]
    private static bool TryHash(string password, Span<byte> digest)
    {
        var bytes = Encoding.UTF8.GetBytes(password);
        SHA1.HashData(bytes, digest);
        CryptographicOperations.ZeroMemory(bytes);
        return true;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Entries} entries, {_bits.Length * 8} bytes");
}
