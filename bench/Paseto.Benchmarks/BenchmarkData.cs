using System.Text.Json.Serialization;

namespace Paseto.Auth.Paseto.Benchmarks;

internal static class BenchmarkData
{
    public const string Issuer = "https://auth.example";
    public const string Audience = "paseto-auth";

    public static PasetoValidationOptions Options { get; } = new() { Issuer = Issuer, Audience = Audience };

    /// <summary>A realistic access token: every claim the service writes, valid for the next hour.</summary>
    public static AccessClaims Claims()
    {
        var now = DateTimeOffset.UtcNow;
        return new AccessClaims
        {
            Issuer = Issuer,
            Audience = Audience,
            Subject = "1234567",
            SessionId = "6f1c2a52-3a8e-4a5e-9a43-0c3d3b1a9f10",
            TokenId = "b0b6f1f4-1d7c-4c8e-8c5e-1d2c3b4a5f60",
            IssuedAt = now,
            NotBefore = now,
            Expiration = now.AddHours(1),
            Role = "member",
            Username = "alice.example",
        };
    }
}

/// <summary>
/// The shape of the service's access-token claims (the registered ones plus <c>sid</c>, <c>role</c>
/// and <c>username</c>, all required), so the bearer check is measured as the service runs it
/// while the benchmark references the library alone.
/// </summary>
public sealed record AccessClaims : PasetoClaims
{
    [JsonPropertyName("sid")]
    public string? SessionId { get; set; }

    [JsonPropertyName("role")]
    public string? Role { get; set; }

    [JsonPropertyName("username")]
    public string? Username { get; set; }

    protected override bool HasRequiredClaims() =>
        !string.IsNullOrEmpty(Subject) && !string.IsNullOrEmpty(TokenId) && !string.IsNullOrEmpty(SessionId)
        && !string.IsNullOrEmpty(Role) && !string.IsNullOrEmpty(Username);
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(AccessClaims))]
internal sealed partial class AccessClaimsJsonContext : JsonSerializerContext;
