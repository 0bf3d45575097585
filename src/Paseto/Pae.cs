using System.Buffers.Binary;

namespace Paseto.Auth.Paseto;

/// <summary>
/// PASETO pre-authentication encoding: LE64(piece count), then LE64(length) || piece for each piece.
/// Every MAC or signature covers this encoding rather than a plain concatenation, so no split of
/// header, payload, footer and implicit assertion can be confused with another.
/// </summary>
internal static class Pae
{
    private const int LengthSize = sizeof(ulong);

    /// <summary>The encoded size of <paramref name="pieceCount"/> pieces holding <paramref name="totalPieceBytes"/> bytes together.</summary>
    public static int GetLength(int pieceCount, int totalPieceBytes) =>
        checked(LengthSize + (pieceCount * LengthSize) + totalPieceBytes);

    /// <summary>Convenience form for tests and cold paths; the token code uses <see cref="PaeWriter"/> over a stack or pooled buffer.</summary>
    public static byte[] Encode(params ReadOnlySpan<byte[]> pieces)
    {
        var total = 0;
        foreach (var piece in pieces)
        {
            total = checked(total + piece.Length);
        }

        var output = new byte[GetLength(pieces.Length, total)];
        var writer = new PaeWriter(output, pieces.Length);
        foreach (var piece in pieces)
        {
            writer.Append(piece);
        }

        return output;
    }

    internal static void WriteLength(Span<byte> destination, int length) =>
        // The most significant bit stays clear, as the spec requires; an int never sets it.
        BinaryPrimitives.WriteUInt64LittleEndian(destination, (ulong)length & long.MaxValue);
}

/// <summary>Writes a PAE into a caller-provided buffer, one piece at a time, without allocating.</summary>
internal ref struct PaeWriter
{
    private readonly Span<byte> _destination;
    private int _position;

    public PaeWriter(Span<byte> destination, int pieceCount)
    {
        _destination = destination;
        Pae.WriteLength(destination, pieceCount);
        _position = sizeof(ulong);
    }

    public readonly int Written => _position;

    public void Append(ReadOnlySpan<byte> piece)
    {
        Pae.WriteLength(_destination[_position..], piece.Length);
        _position += sizeof(ulong);
        piece.CopyTo(_destination[_position..]);
        _position += piece.Length;
    }
}
