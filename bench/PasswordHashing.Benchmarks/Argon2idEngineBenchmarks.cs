using BenchmarkDotNet.Attributes;
using Paseto.Auth.Infrastructure.Security;

namespace Paseto.Auth.PasswordHashing.Benchmarks;

/// <summary>
/// One Argon2id hash at the API's default parameters (m=19456 KiB, t=2, p=1, 16-byte salt, 32-byte
/// hash) with each engine, on one thread: libsodium, ours on its AVX2 path (the default with AVX2) and its scalar
/// path, and Konscious. <c>[MemoryDiagnoser]</c> shows what each allocates per hash on the managed
/// heap (libsodium's mapping is outside it).
/// </summary>
[MemoryDiagnoser]
public class Argon2idEngineBenchmarks
{
    private static readonly Argon2idParameters _parameters = new(19456, 2, 1);

    private readonly byte[] _password = "correct horse battery staple"u8.ToArray();
    private readonly byte[] _salt = new byte[Argon2idPasswordHasher.SaltLength];
    private readonly byte[] _hash = new byte[Argon2idPasswordHasher.HashLength];
    private readonly LibsodiumArgon2idEngine _libsodium = new();
    private readonly ManagedArgon2idEngine _konscious = new();
    private readonly SimdArgon2idEngine _simd = new(_parameters.MemoryKiB, 1);
    private readonly SimdArgon2idEngine _scalar = new(_parameters.MemoryKiB, 1, vectorized: false);

    [Benchmark(Baseline = true)]
    public byte[] Libsodium() => Hash(_libsodium);

    [Benchmark]
    public byte[] SimdAvx2() => Hash(_simd);

    [Benchmark]
    public byte[] SimdScalar() => Hash(_scalar);

    [Benchmark]
    public byte[] Konscious() => Hash(_konscious);

    private byte[] Hash(IArgon2idEngine engine)
    {
        engine.DeriveKey(_password, _salt, _parameters, _hash);
        return _hash;
    }
}
