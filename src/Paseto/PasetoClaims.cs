using System.Text.Json.Serialization;

namespace Paseto.Auth.Paseto;

/// <summary>
/// The registered claims of a PASETO token (<c>iss</c>, <c>sub</c>, <c>aud</c>, <c>exp</c>,
/// <c>nbf</c>, <c>iat</c>, <c>jti</c>) under their short JSON names. Times are RFC 3339 strings,
/// written in UTC with <c>Z</c> and read with any offset (<see cref="Rfc3339DateTimeOffsetConverter"/>).
/// Claims the type does not know are ignored.
/// </summary>
/// <remarks>
/// <para>
/// To carry claims of your own, derive a record with a property per claim and a
/// <c>JsonSerializerContext</c> for it, and give its type info to <see cref="PasetoTokenFormat{TClaims}"/>;
/// a token is then read into one object with no dictionary of extra claims. Override
/// <see cref="HasRequiredClaims"/> to refuse tokens that lack the claims you rely on.
/// </para>
/// <para>
/// The properties have plain setters because the JSON source generator fills init-only properties
/// through its constructor path, which boxes every value and allocates an argument array per token.
/// </para>
/// </remarks>
public record PasetoClaims
{
    /// <summary>The issuer (<c>iss</c>); a token is accepted only if it equals <see cref="PasetoValidationOptions.Issuer"/>.</summary>
    [JsonPropertyName("iss")]
    public string? Issuer { get; set; }

    /// <summary>The audience (<c>aud</c>), a single string; a token is accepted only if it equals <see cref="PasetoValidationOptions.Audience"/>.</summary>
    [JsonPropertyName("aud")]
    public string? Audience { get; set; }

    /// <summary>The subject (<c>sub</c>): whom the token is about.</summary>
    [JsonPropertyName("sub")]
    public string? Subject { get; set; }

    /// <summary>The token's own id (<c>jti</c>).</summary>
    [JsonPropertyName("jti")]
    public string? TokenId { get; set; }

    /// <summary>When the token was issued (<c>iat</c>); required, and no later than now plus the clock skew.</summary>
    [JsonPropertyName("iat")]
    [JsonConverter(typeof(Rfc3339DateTimeOffsetConverter))]
    public DateTimeOffset? IssuedAt { get; set; }

    /// <summary>When the token becomes valid (<c>nbf</c>); required, and no later than now plus the clock skew.</summary>
    [JsonPropertyName("nbf")]
    [JsonConverter(typeof(Rfc3339DateTimeOffsetConverter))]
    public DateTimeOffset? NotBefore { get; set; }

    /// <summary>When the token expires (<c>exp</c>); required, and later than now minus the clock skew.</summary>
    [JsonPropertyName("exp")]
    [JsonConverter(typeof(Rfc3339DateTimeOffsetConverter))]
    public DateTimeOffset? Expiration { get; set; }

    /// <summary>
    /// Whether the claims this type requires beyond <c>iss</c>, <c>aud</c>, <c>iat</c>, <c>nbf</c> and
    /// <c>exp</c> are present. Validation asks it together with those, so a token lacking one is
    /// refused as <see cref="PasetoTokenError.MissingClaims"/> before its issuer, audience or times
    /// are compared. The base type requires nothing more.
    /// </summary>
    /// <returns>True if every claim the type requires is present.</returns>
    protected virtual bool HasRequiredClaims() => true;

    /// <summary>Lets the validator ask a protected question; derived types override <see cref="HasRequiredClaims"/> as ordinary protected members.</summary>
    internal bool HasRequiredClaimsForValidation() => HasRequiredClaims();
}
