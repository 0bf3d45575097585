using System.Buffers.Binary;
using System.Buffers.Text;
using Paseto.Auth.Application.Common;

namespace Paseto.Auth.Application.Users;

/// <summary>The opaque cursor of the user list: the last id seen.</summary>
internal static class UserCursor
{
    public static string Encode(int lastId)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, lastId);
        return Base64Url.EncodeToString(bytes);
    }

    public static int Decode(string cursor) => TryDecode(cursor, out var id) ? id : throw new FormatException();

    public static bool TryDecode(string cursor, out int lastId)
    {
        Span<byte> bytes = stackalloc byte[8];
        lastId = 0;
        if (cursor.Length > 16 || !SafeBase64Url.TryDecode(cursor, bytes, out var written) || written != 4)
        {
            return false;
        }

        lastId = BinaryPrimitives.ReadInt32BigEndian(bytes);
        return lastId >= 0;
    }
}
