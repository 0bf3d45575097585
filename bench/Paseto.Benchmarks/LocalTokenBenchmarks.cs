using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Geralt;

namespace Paseto.Auth.Paseto.Benchmarks;

/// <summary>
/// v4.local with a realistic access token, next to the libsodium work alone (three keyed BLAKE2b
/// calls — Ek||n2, Ak, tag — and XChaCha20 over the same sizes), so the cost of our framing shows.
/// </summary>
[MemoryDiagnoser]
public class LocalTokenBenchmarks
{
    private readonly byte[] _nonceInfo = new byte[24 + 32];
    private readonly byte[] _derived = new byte[88];
    private readonly byte[] _tag = new byte[32];
    private readonly byte[] _keyBytes = new byte[32];
    private PasetoTokenFormat<AccessClaims> _format = null!;
    private SymmetricKey _key = null!;
    private AccessClaims _claims = null!;
    private string _token = null!;
    private byte[] _footer = null!;
    private byte[] _ciphertext = null!;
    private byte[] _plaintext = null!;
    private byte[] _preAuth = null!;
    private byte[] _json = null!;

    [GlobalSetup]
    public void Setup()
    {
        _key = SymmetricKey.Generate();
        _format = new PasetoTokenFormat<AccessClaims>(KeyRing.ForLocal([_key]), BenchmarkData.Options, TimeProvider.System, AccessClaimsJsonContext.Default.AccessClaims);
        _claims = BenchmarkData.Claims();
        _token = _format.Encode(_claims);
        _footer = Encoding.UTF8.GetBytes($"{{\"kid\":\"{_key.Id}\"}}");

        var json = JsonSerializer.SerializeToUtf8Bytes(_claims, AccessClaimsJsonContext.Default.AccessClaims);
        _json = json;
        _ciphertext = new byte[json.Length];
        _plaintext = new byte[json.Length];
        _preAuth = new byte[Pae.GetLength(5, 9 + 32 + json.Length + _footer.Length)];
        SecureRandom.Fill(_keyBytes);
        SecureRandom.Fill(_nonceInfo);
        SecureRandom.Fill(_preAuth);
        SecureRandom.Fill(_ciphertext);
    }

    [Benchmark]
    public string Encrypt() => _format.Encode(_claims);

    [Benchmark]
    public AccessClaims? DecryptAndValidate()
    {
        _format.TryDecode(_token, out var claims, out _);
        return claims;
    }

    /// <summary>Header, base64url, footer, PAE, MAC check and decryption; no JSON.</summary>
    [Benchmark]
    public PasetoTokenError DecryptFramingOnly()
    {
        var body = _token.AsSpan(PasetoToken.LocalHeader.Length);
        var payload = body[..body.IndexOf('.')];
        return PasetoV4Local.TryDecrypt(payload, _footer, [], _key, _plaintext, out _);
    }

    /// <summary>The claims JSON alone: what decrypt-and-validate adds to the framing.</summary>
    [Benchmark]
    public AccessClaims? ClaimsJsonOnly() => JsonSerializer.Deserialize(_json, AccessClaimsJsonContext.Default.AccessClaims);

    [Benchmark(Baseline = true)]
    public byte[] RawPrimitives()
    {
        BLAKE2b.ComputeTag(_derived.AsSpan(0, 56), _nonceInfo.AsSpan(0, 21 + 32), _keyBytes);
        BLAKE2b.ComputeTag(_derived.AsSpan(56, 32), _nonceInfo, _keyBytes);
        BLAKE2b.ComputeTag(_tag, _preAuth, _derived.AsSpan(56, 32));
        XChaCha20.Decrypt(_plaintext, _ciphertext, _derived.AsSpan(32, 24), _derived.AsSpan(0, 32), 0);
        return _plaintext;
    }
}
