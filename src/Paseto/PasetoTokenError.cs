namespace Paseto.Auth.Paseto;

/// <summary>
/// Why a token was refused. Invalid tokens are ordinary input, so decoding reports these values
/// instead of throwing. None of them reveals key material or token contents.
/// </summary>
public enum PasetoTokenError
{
    /// <summary>The token was accepted.</summary>
    None = 0,

    /// <summary>Longer than <see cref="PasetoLimits.MaxTokenLength"/>; refused before any decoding.</summary>
    TooLarge,

    /// <summary>Not a well-formed token: bad structure, non-canonical base64url, too short, or an unreadable footer.</summary>
    Malformed,

    /// <summary>A PASETO version other than v4.</summary>
    UnsupportedVersion,

    /// <summary>A v4 token of another purpose than the key ring's (e.g. <c>v4.public.</c> given to a local ring).</summary>
    WrongPurpose,

    /// <summary>The footer names no key of the key ring.</summary>
    UnknownKey,

    /// <summary>The MAC (local) or the signature (public) does not verify.</summary>
    InvalidSignature,

    /// <summary>The authenticated payload is not a JSON object of the expected claim types.</summary>
    InvalidClaims,

    /// <summary>A required claim is absent: <c>iss</c>, <c>aud</c>, <c>iat</c>, <c>nbf</c>, <c>exp</c>, or one the claims type requires (<see cref="PasetoClaims.HasRequiredClaims"/>).</summary>
    MissingClaims,

    /// <summary><c>iss</c> is not exactly the expected issuer.</summary>
    WrongIssuer,

    /// <summary><c>aud</c> is not exactly the expected audience.</summary>
    WrongAudience,

    /// <summary><c>nbf</c> (or <c>iat</c>) lies further in the future than the allowed clock skew.</summary>
    NotYetValid,

    /// <summary><c>exp</c> has passed by more than the allowed clock skew. Reported only for a token that verified, whose claims are all present and whose issuer and audience match.</summary>
    Expired,
}
