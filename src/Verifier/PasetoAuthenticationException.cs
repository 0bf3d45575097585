using Paseto.Auth.Paseto;

namespace Paseto.Auth.Verifier;

/// <summary>Why a token was refused, in the large.</summary>
public enum PasetoAuthFailure
{
    /// <summary>Not a token to accept: malformed, another issuer or audience, an unknown key, a signature that does not verify, not yet valid; <see cref="PasetoAuthenticationException.TokenError"/> says which.</summary>
    Invalid,

    /// <summary>A genuine token (its signature verified, its issuer and audience match) past its <c>exp</c>.</summary>
    Expired,

    /// <summary>The service's introspection answered that the token is not active: its session ended, its user is inactive, or the token is not one the service accepts.</summary>
    Inactive,

    /// <summary>A <c>v4.local</c> token, which only the service can read, and introspection is off.</summary>
    LocalTokenWithoutIntrospection,

    /// <summary>The service could not be asked (keys or introspection): unreachable, slow, throttling, or answering an error. The token is refused rather than trusted unchecked.</summary>
    ServiceUnavailable,
}

/// <summary>A refused token, as the handler gives it to <see cref="PasetoAuthEvents.OnAuthenticationFailed"/> and the challenge.</summary>
public sealed class PasetoAuthenticationException : Exception
{
    /// <summary>A refusal for <paramref name="failure"/>.</summary>
    /// <param name="failure">Why, in the large.</param>
    /// <param name="tokenError">The PASETO check that failed, for an offline refusal.</param>
    /// <param name="message">A message for logs; it holds no token content.</param>
    /// <param name="innerException">What the service's client threw, if anything.</param>
    public PasetoAuthenticationException(PasetoAuthFailure failure, PasetoTokenError tokenError, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
        TokenError = tokenError;
    }

    /// <summary>A refusal with a message of its own kind.</summary>
    public PasetoAuthenticationException()
        : this(PasetoAuthFailure.Invalid, PasetoTokenError.None, "The token was refused.")
    {
    }

    /// <summary>A refusal with a message.</summary>
    /// <param name="message">A message for logs.</param>
    public PasetoAuthenticationException(string message)
        : this(PasetoAuthFailure.Invalid, PasetoTokenError.None, message)
    {
    }

    /// <summary>A refusal with a message and a cause.</summary>
    /// <param name="message">A message for logs.</param>
    /// <param name="innerException">The cause.</param>
    public PasetoAuthenticationException(string message, Exception innerException)
        : this(PasetoAuthFailure.Invalid, PasetoTokenError.None, message, innerException)
    {
    }

    /// <summary>Why, in the large.</summary>
    public PasetoAuthFailure Failure { get; }

    /// <summary>The PASETO check that failed (<see cref="PasetoTokenError.None"/> when the refusal came from elsewhere).</summary>
    public PasetoTokenError TokenError { get; }
}
