using System.Text.Json.Serialization;

namespace Paseto.Auth.Paseto;

/// <summary>
/// The claims of an access token. Registered PASETO claims keep their short JSON names; times are
/// RFC 3339 strings (written in UTC with <c>Z</c>, read with any offset). Claims we do not know are ignored.
/// The properties have plain setters because the JSON source generator fills init-only properties
/// through its constructor path, which boxes every value and allocates an argument array per token.
/// </summary>
public sealed record PasetoClaims
{
    [JsonPropertyName("iss")]
    public string? Issuer { get; set; }

    [JsonPropertyName("aud")]
    public string? Audience { get; set; }

    /// <summary>The user id, as a string.</summary>
    [JsonPropertyName("sub")]
    public string? Subject { get; set; }

    /// <summary>The session the token belongs to, so revoking the session revokes the token.</summary>
    [JsonPropertyName("sid")]
    public string? SessionId { get; set; }

    [JsonPropertyName("jti")]
    public string? TokenId { get; set; }

    [JsonPropertyName("iat")]
    public DateTimeOffset? IssuedAt { get; set; }

    [JsonPropertyName("nbf")]
    public DateTimeOffset? NotBefore { get; set; }

    [JsonPropertyName("exp")]
    public DateTimeOffset? Expiration { get; set; }

    [JsonPropertyName("role")]
    public string? Role { get; set; }

    [JsonPropertyName("username")]
    public string? Username { get; set; }
}
