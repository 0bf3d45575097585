using System.Buffers;
using System.Buffers.Text;

namespace Paseto.Auth.Paseto;

/// <summary>
/// Base64url (RFC 4648 §5) without padding, decoded strictly as PASETO and PASERK require:
/// no <c>=</c>, no whitespace, no character outside the alphabet, and the unused trailing bits of
/// the last character must be zero. Every byte string therefore has exactly one accepted encoding,
/// so a token cannot be altered without changing its bytes.
/// </summary>
internal static class PasetoBase64Url
{
    public static int GetEncodedLength(int byteCount) => Base64Url.GetEncodedLength(byteCount);

    /// <summary>Returns the decoded size of <paramref name="charCount"/> characters, or -1 if no unpadded encoding has that length.</summary>
    public static int GetDecodedLength(int charCount) => (charCount % 4) switch
    {
        0 => charCount / 4 * 3,
        2 => (charCount / 4 * 3) + 1,
        3 => (charCount / 4 * 3) + 2,
        _ => -1,
    };

    public static int Encode(ReadOnlySpan<byte> data, Span<char> destination) =>
        Base64Url.EncodeToChars(data, destination);

    public static string Encode(ReadOnlySpan<byte> data) => Base64Url.EncodeToString(data);

    /// <summary>
    /// Decodes <paramref name="source"/> into <paramref name="destination"/>, which must hold at least
    /// <see cref="GetDecodedLength"/> bytes. Returns false for any non-canonical input.
    /// </summary>
    /// <remarks>
    /// One pass: the decoder answers <see cref="OperationStatus.InvalidData"/> for characters
    /// outside the alphabet. It skips whitespace and accepts <c>=</c> padding, but either makes
    /// fewer bytes than the length of <paramref name="source"/> calls for, so requiring exactly
    /// that many bytes refuses both.
    /// </remarks>
    public static bool TryDecode(ReadOnlySpan<char> source, Span<byte> destination, out int written)
    {
        written = 0;
        var expected = GetDecodedLength(source.Length);
        if (expected < 0 || destination.Length < expected || !HasCleanTrailingBits(source))
        {
            return false;
        }

        var status = Base64Url.DecodeFromChars(source, destination[..expected], out var consumed, out written);
        if (status != OperationStatus.Done || consumed != source.Length || written != expected)
        {
            written = 0;
            return false;
        }

        return true;
    }

    private static bool HasCleanTrailingBits(ReadOnlySpan<char> source)
    {
        var unusedBits = (source.Length % 4) switch
        {
            2 => 4,
            3 => 2,
            _ => 0,
        };
        if (unusedBits == 0)
        {
            return true;
        }

        var mask = (1 << unusedBits) - 1;
        return (SextetOf(source[^1]) & mask) == 0;
    }

    private static int SextetOf(char c) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => c - 'a' + 26,
        >= '0' and <= '9' => c - '0' + 52,
        '-' => 62,
        _ => 63,
    };
}
