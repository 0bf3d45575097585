using System.Security.Cryptography;

namespace Paseto.Auth.Infrastructure.Security;

/// <summary>Argon2id in managed code (Konscious), for platforms without the native libsodium.</summary>
/// <remarks>
/// It supports any lane count and salt length, so it also reads hashes the libsodium engine cannot.
/// It is about three times slower and allocates the whole Argon2 memory on the managed heap per hash.
/// Konscious takes the password as an array of exactly its length, so we copy it into a pinned array
/// (the GC cannot leave copies behind) and zero it, and the result, when done; the library's own
/// working memory is beyond our reach.
/// </remarks>
internal sealed class ManagedArgon2idEngine : IArgon2idEngine
{
    private const int MinSaltLength = 8;
    private const int MinHashLength = 4;

    public bool Supports(Argon2idParameters parameters, int saltLength, int hashLength) =>
        parameters.IsWithinBounds && saltLength >= MinSaltLength && hashLength >= MinHashLength;

    public void DeriveKey(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, Argon2idParameters parameters, Span<byte> hash)
    {
        var passwordCopy = GC.AllocateUninitializedArray<byte>(password.Length, pinned: true);
        byte[]? result = null;
        try
        {
            password.CopyTo(passwordCopy);
            using var argon2 = new Konscious.Security.Cryptography.Argon2id(passwordCopy)
            {
                Salt = salt.ToArray(),
                Iterations = parameters.Iterations,
                MemorySize = parameters.MemoryKiB,
                DegreeOfParallelism = parameters.Parallelism,
            };
            result = argon2.GetBytes(hash.Length);
            result.CopyTo(hash);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(passwordCopy);
            if (result is not null)
            {
                CryptographicOperations.ZeroMemory(result);
            }
        }
    }
}
