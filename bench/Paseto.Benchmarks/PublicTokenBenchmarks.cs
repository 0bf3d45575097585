using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Geralt;

namespace Paseto.Auth.Paseto.Benchmarks;

/// <summary>v4.public with a realistic access token, next to a bare Ed25519 sign/verify of the same PAE.</summary>
[MemoryDiagnoser]
public class PublicTokenBenchmarks
{
    private readonly byte[] _signature = new byte[Ed25519.SignatureSize];
    private PasetoTokenFormat<AccessClaims> _format = null!;
    private AsymmetricSecretKey _secretKey = null!;
    private byte[] _secretKeyBytes = null!;
    private byte[] _publicKeyBytes = null!;
    private AccessClaims _claims = null!;
    private string _token = null!;
    private byte[] _footer = null!;
    private byte[] _message = null!;
    private byte[] _preAuth = null!;

    [GlobalSetup]
    public void Setup()
    {
        _publicKeyBytes = new byte[Ed25519.PublicKeySize];
        _secretKeyBytes = new byte[Ed25519.PrivateKeySize];
        Ed25519.GenerateKeyPair(_publicKeyBytes, _secretKeyBytes);
        _secretKey = AsymmetricSecretKey.FromBytes(_secretKeyBytes);
        _format = new PasetoTokenFormat<AccessClaims>(KeyRing.ForPublic([_secretKey]), BenchmarkData.Options, TimeProvider.System, AccessClaimsJsonContext.Default.AccessClaims);
        _claims = BenchmarkData.Claims();
        _token = _format.Encode(_claims);
        _footer = Encoding.UTF8.GetBytes($"{{\"kid\":\"{_secretKey.PublicKey.Id}\"}}");

        var json = JsonSerializer.SerializeToUtf8Bytes(_claims, AccessClaimsJsonContext.Default.AccessClaims);
        _message = new byte[json.Length];
        _preAuth = Pae.Encode("v4.public."u8.ToArray(), json, _footer, []);
        Ed25519.Sign(_signature, _preAuth, _secretKeyBytes);
    }

    [Benchmark]
    public string Sign() => _format.Encode(_claims);

    [Benchmark]
    public AccessClaims? VerifyAndValidate()
    {
        _format.TryDecode(_token, out var claims, out _);
        return claims;
    }

    /// <summary>Header, base64url, footer, PAE and signature check; no JSON.</summary>
    [Benchmark]
    public PasetoTokenError VerifyFramingOnly()
    {
        var body = _token.AsSpan(PasetoToken.PublicHeader.Length);
        var payload = body[..body.IndexOf('.')];
        return PasetoV4Public.TryVerify(payload, _footer, [], _secretKey.PublicKey, _message, out _);
    }

    [Benchmark(Baseline = true)]
    public bool RawEd25519Verify() => Ed25519.Verify(_signature, _preAuth, _publicKeyBytes);

    [Benchmark]
    public byte[] RawEd25519Sign()
    {
        Ed25519.Sign(_signature, _preAuth, _secretKeyBytes);
        return _signature;
    }
}
