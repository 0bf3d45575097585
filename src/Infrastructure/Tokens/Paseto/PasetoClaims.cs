using System.Text.Json.Serialization;

namespace Paseto.Auth.Infrastructure.Tokens.Paseto;

/// <summary>
/// The claims of an access token. Registered PASETO claims keep their short JSON names; times are
/// RFC 3339 strings (written in UTC with <c>Z</c>, read with any offset). Claims we do not know are ignored.
/// </summary>
public sealed record PasetoClaims
{
    [JsonPropertyName("iss")]
    public string? Issuer { get; init; }

    [JsonPropertyName("aud")]
    public string? Audience { get; init; }

    /// <summary>The user id, as a string.</summary>
    [JsonPropertyName("sub")]
    public string? Subject { get; init; }

    /// <summary>The session the token belongs to, so revoking the session revokes the token.</summary>
    [JsonPropertyName("sid")]
    public string? SessionId { get; init; }

    [JsonPropertyName("jti")]
    public string? TokenId { get; init; }

    [JsonPropertyName("iat")]
    public DateTimeOffset? IssuedAt { get; init; }

    [JsonPropertyName("nbf")]
    public DateTimeOffset? NotBefore { get; init; }

    [JsonPropertyName("exp")]
    public DateTimeOffset? Expiration { get; init; }

    [JsonPropertyName("role")]
    public string? Role { get; init; }

    [JsonPropertyName("username")]
    public string? Username { get; init; }
}
