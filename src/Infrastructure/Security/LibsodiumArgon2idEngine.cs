namespace Paseto.Auth.Infrastructure.Security;

/// <summary>Argon2id from the native libsodium, through Geralt.</summary>
/// <remarks>
/// libsodium's raw API (<c>crypto_pwhash</c>, Geralt's <c>Argon2id.DeriveKey</c>) takes no parallelism
/// argument: it always computes a single lane (p=1) and wants a 16-byte salt. Its encoded-string API
/// (<c>crypto_pwhash_str</c>) is not used because it picks the salt and output length itself; we write the
/// PHC string ourselves so that both engines read and write exactly the same format. Hashes of any other
/// shape (p &gt; 1, other salt lengths) go to the managed engine.
/// </remarks>
internal sealed class LibsodiumArgon2idEngine : IArgon2idEngine
{
    public bool Supports(Argon2idParameters parameters, int saltLength, int hashLength) =>
        parameters.IsWithinBounds
        && parameters.Parallelism == 1
        && saltLength == Geralt.Argon2id.SaltSize
        && hashLength >= Geralt.Argon2id.MinKeySize
        && parameters.MemoryKiB * 1024L >= Geralt.Argon2id.MinMemorySize;

    public void DeriveKey(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, Argon2idParameters parameters, Span<byte> hash)
    {
        // libsodium counts memory in bytes; the bounds keep 1 GiB within an int.
        Geralt.Argon2id.DeriveKey(hash, password, salt, parameters.Iterations, parameters.MemoryKiB * 1024);
    }
}
