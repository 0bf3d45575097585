using System.Text.Json.Serialization;
using Paseto.Auth.Paseto;

// One definition of the access token's claims, compiled into the service (Infrastructure) and into
// the verifier library, so what the service writes and what a verifier requires cannot drift.
namespace Paseto.Auth.Contracts;

/// <summary>
/// The claims of an access token (DESIGN §4): the registered PASETO claims, with <c>sub</c> the user
/// id and <c>jti</c> a UUIDv7, plus the session, role and username. All ten are required.
/// </summary>
internal sealed record AccessTokenClaims : PasetoClaims
{
    /// <summary>The session the token belongs to, so revoking the session revokes the token.</summary>
    [JsonPropertyName("sid")]
    public string? SessionId { get; set; }

    [JsonPropertyName("role")]
    public string? Role { get; set; }

    [JsonPropertyName("username")]
    public string? Username { get; set; }

    /// <summary>Access tokens over <paramref name="keys"/>, read and written through the source-generated contract.</summary>
    public static PasetoTokenFormat<AccessTokenClaims> Format(KeyRing keys, PasetoValidationOptions options, TimeProvider timeProvider) =>
        new(keys, options, timeProvider, AccessTokenJsonContext.Default.AccessTokenClaims);

    protected override bool HasRequiredClaims() =>
        !string.IsNullOrEmpty(Subject) && !string.IsNullOrEmpty(TokenId) && !string.IsNullOrEmpty(SessionId)
        && !string.IsNullOrEmpty(Role) && !string.IsNullOrEmpty(Username);
}

/// <summary>
/// Source-generated serialization of the access-token claims. Duplicate properties are refused, as
/// the token format requires; the registered times carry the library's RFC 3339 converter.
/// </summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(AccessTokenClaims))]
internal sealed partial class AccessTokenJsonContext : JsonSerializerContext;
