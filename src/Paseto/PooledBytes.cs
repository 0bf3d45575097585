using System.Buffers;
using System.Security.Cryptography;

namespace Paseto.Auth.Paseto;

/// <summary>Rents large scratch buffers and wipes them on return; small ones are stack-allocated by the caller.</summary>
internal static class PooledBytes
{
    public static Span<byte> Rent(int length, out byte[] rented)
    {
        rented = ArrayPool<byte>.Shared.Rent(length);
        return rented.AsSpan(0, length);
    }

    /// <summary>Wipes what was used (it may hold plaintext or key material) and returns the array.</summary>
    public static void Return(byte[]? rented, int usedLength)
    {
        if (rented is null)
        {
            return;
        }

        CryptographicOperations.ZeroMemory(rented.AsSpan(0, usedLength));
        ArrayPool<byte>.Shared.Return(rented);
    }
}
