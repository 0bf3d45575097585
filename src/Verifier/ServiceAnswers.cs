using System.Text.Json.Serialization;

namespace Paseto.Auth.Verifier;

/// <summary>The service's answers the verifier reads: <c>GET /v1/keys</c> and introspection.</summary>
internal sealed record PublishedKeys([property: JsonPropertyName("keys")] IReadOnlyList<PublishedKey>? Keys);

internal sealed record PublishedKey(
    [property: JsonPropertyName("kid")] string? Kid,
    [property: JsonPropertyName("paserk")] string? Paserk,
    [property: JsonPropertyName("status")] string? Status);

/// <summary>An RFC 7662 answer as the service writes it; <c>exp</c> and <c>iat</c> are NumericDate (seconds).</summary>
internal sealed record IntrospectionAnswer(
    [property: JsonPropertyName("active")] bool Active,
    [property: JsonPropertyName("sub")] string? Subject,
    [property: JsonPropertyName("sid")] string? SessionId,
    [property: JsonPropertyName("username")] string? Username,
    [property: JsonPropertyName("role")] string? Role,
    [property: JsonPropertyName("iss")] string? Issuer,
    [property: JsonPropertyName("aud")] string? Audience,
    [property: JsonPropertyName("exp")] long? Expiration,
    [property: JsonPropertyName("iat")] long? IssuedAt,
    [property: JsonPropertyName("jti")] string? TokenId);

[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(PublishedKeys))]
[JsonSerializable(typeof(IntrospectionAnswer))]
internal sealed partial class VerifierJsonContext : JsonSerializerContext;
