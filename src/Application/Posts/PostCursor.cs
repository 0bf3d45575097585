using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;

namespace Paseto.Auth.Application.Posts;

/// <summary>
/// Where a page of posts ended: the (<c>created_at</c>, <c>id</c>) of its last post. Clients see
/// it as an opaque base64url string; it is not a secret (forging one only moves the start of a
/// page), so it is not signed, but anything that is not exactly one of ours is refused.
/// </summary>
public readonly record struct PostCursor(DateTimeOffset CreatedAt, int Id)
{
    private const byte FormatVersion = 1;
    private const int Length = 1 + sizeof(long) + sizeof(int);

    private static readonly long _maxMicroseconds =
        (DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;

    public static PostCursor After(PostView post) => new(post.CreatedAt, post.Id);

    /// <summary>A version byte, microseconds since the Unix epoch and the id, big-endian, in base64url.</summary>
    public string Encode()
    {
        Span<byte> bytes = stackalloc byte[Length];
        bytes[0] = FormatVersion;
        BinaryPrimitives.WriteInt64BigEndian(bytes[1..], (CreatedAt.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond);
        BinaryPrimitives.WriteInt32BigEndian(bytes[9..], Id);
        return Base64Url.EncodeToString(bytes);
    }

    public static bool TryDecode(string? text, out PostCursor cursor)
    {
        cursor = default;
        if (text is null || text.Length != Base64Url.GetEncodedLength(Length))
        {
            return false;
        }

        // The OperationStatus overload: TryDecodeFromChars throws on characters outside the alphabet.
        Span<byte> bytes = stackalloc byte[Length + 2];
        if (Base64Url.DecodeFromChars(text, bytes, out _, out var written) != OperationStatus.Done || written != Length || bytes[0] != FormatVersion
            || !string.Equals(Base64Url.EncodeToString(bytes[..Length]), text, StringComparison.Ordinal))
        {
            return false;
        }

        var microseconds = BinaryPrimitives.ReadInt64BigEndian(bytes[1..]);
        var id = BinaryPrimitives.ReadInt32BigEndian(bytes[9..]);
        if (microseconds < 0 || microseconds > _maxMicroseconds || id <= 0)
        {
            return false;
        }

        cursor = new PostCursor(DateTimeOffset.UnixEpoch.AddTicks(microseconds * TimeSpan.TicksPerMicrosecond), id);
        return true;
    }
}
