namespace Paseto.Auth.Paseto;

/// <summary>
/// Why a token was refused. Invalid tokens are ordinary input, so decoding reports these values
/// instead of throwing. None of them reveals key material or token contents.
/// </summary>
public enum PasetoTokenError
{
    None = 0,

    /// <summary>Longer than <see cref="PasetoLimits.MaxTokenLength"/>; refused before any decoding.</summary>
    TooLarge,

    /// <summary>Not a well-formed token: bad structure, non-canonical base64url, too short, or an unreadable footer.</summary>
    Malformed,

    /// <summary>A PASETO version other than v4.</summary>
    UnsupportedVersion,

    /// <summary>A v4 token of another purpose than the one configured (e.g. <c>v4.public.</c> given to the local decoder).</summary>
    WrongPurpose,

    /// <summary>The footer names no key of the key ring.</summary>
    UnknownKey,

    /// <summary>The MAC (local) or the signature (public) does not verify.</summary>
    InvalidSignature,

    /// <summary>The authenticated payload is not a JSON object of the expected claim types.</summary>
    InvalidClaims,

    /// <summary>A required claim is absent.</summary>
    MissingClaims,

    WrongIssuer,

    WrongAudience,

    /// <summary><c>nbf</c> (or <c>iat</c>) lies further in the future than the allowed clock skew.</summary>
    NotYetValid,

    Expired,
}
