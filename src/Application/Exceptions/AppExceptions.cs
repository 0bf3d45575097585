using FluentValidation.Results;

namespace Paseto.Auth.Application.Exceptions;

/// <summary>
/// The handful of outcomes a handler reports by throwing; the API maps each to one status code
/// and problem type. Messages are written for the client and never carry secrets or internals.
/// </summary>
public abstract class AppException(string message) : Exception(message);

/// <summary>Input failed validation (400). Keys are property paths of the message.</summary>
public sealed class RequestValidationException(IReadOnlyDictionary<string, string[]> errors)
    : AppException("One or more fields are invalid.")
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    /// <summary>Every failure, by property path in the order the validators found them, each message once.</summary>
    public static Dictionary<string, string[]> Group(IEnumerable<ValidationFailure> failures) =>
        failures
            .GroupBy(f => f.PropertyName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).Distinct(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
}

/// <summary>A uniqueness rule was broken, e.g. a taken username (409).</summary>
public sealed class ConflictException(string message) : AppException(message);

/// <summary>Authenticated (or holding a secret) but not allowed (403); <see cref="Reason"/> says which refusal it is.</summary>
public sealed class ForbiddenException(string message, ForbiddenReason reason = ForbiddenReason.NotAllowed) : AppException(message)
{
    public ForbiddenReason Reason { get; } = reason;
}

/// <summary>The 403s a client must tell apart; the API gives each its problem type.</summary>
public enum ForbiddenReason
{
    /// <summary>The caller may not do this (a role, an owner).</summary>
    NotAllowed,

    /// <summary>The signup's referer secret is missing or wrong.</summary>
    RefererSecret,

    /// <summary>The right password, but the account's email is not verified and <c>Auth:Email:RequireVerified</c> is on.</summary>
    EmailNotVerified,

    /// <summary>The caller's role needs a second factor (<c>Auth:Mfa:RequiredForRoles</c>) and the account has none yet.</summary>
    MfaEnrollmentRequired,

    /// <summary>The caller's role needs a second factor and this session's login did not use one.</summary>
    MfaSessionRequired,
}

/// <summary>
/// The password was right and the account has a second factor (403, <c>/problems/mfa-required</c>):
/// the login goes on at <c>POST /v1/login/mfa</c> with <see cref="MfaToken"/>.
/// </summary>
public sealed class SecondFactorRequiredException(string mfaToken, IReadOnlyList<string> methods)
    : AppException("The password is right; this account also needs its second factor. Send a code with the mfa_token to /v1/login/mfa.")
{
    /// <summary>The opaque, single-use token that stands for the password step.</summary>
    public string MfaToken { get; } = mfaToken;

    /// <summary>The ways the login may be finished (<c>totp</c>, <c>recovery_code</c>, …).</summary>
    public IReadOnlyList<string> Methods { get; } = methods;
}

/// <summary>Why a second factor was refused (401).</summary>
public enum SecondFactorFailure
{
    /// <summary>The account has a factor and no <c>code</c> or <c>recovery_code</c> was sent.</summary>
    Missing,

    /// <summary>The code or recovery code is wrong, used already, or for a time step already used.</summary>
    Wrong,

    /// <summary>The <c>mfa_token</c> is unknown, expired, used, or spent by wrong codes: log in again.</summary>
    LoginExpired,
}

/// <summary>A second factor was asked for and not given, or given wrong (401); the access token, if any, is fine.</summary>
public sealed class SecondFactorException(SecondFactorFailure failure) : AppException(failure switch
{
    SecondFactorFailure.Missing => "This account has a second factor: send a current code from the authenticator app (code) or a recovery code (recovery_code).",
    SecondFactorFailure.Wrong => "The code is wrong or was used already.",
    _ => "The mfa_token is invalid, expired or used up. Log in again.",
})
{
    public SecondFactorFailure Failure { get; } = failure;
}

/// <summary>The resource does not exist or is not visible to the caller (404).</summary>
public sealed class NotFoundException(string message) : AppException(message);

/// <summary>Bad credentials or an unusable token (401). One message for every cause.</summary>
public sealed class InvalidCredentialsException(string message = "The credentials are invalid.") : AppException(message);

/// <summary>
/// The current password re-entered for a sensitive change is wrong (401), which says nothing
/// against the access token: a client must not refresh on it. <see cref="SessionEnded"/> when this
/// was the wrong password that ended the session (the token is dead now).
/// </summary>
public sealed class WrongPasswordException(bool sessionEnded)
    : AppException(sessionEnded
        ? "The current password is wrong, and too many wrong passwords ended this session. Log in again."
        : "The current password is wrong.")
{
    public bool SessionEnded { get; } = sessionEnded;
}

/// <summary>Another writer changed the row first (optimistic concurrency).</summary>
public sealed class ConcurrencyException(string message = "The resource was changed by someone else.") : AppException(message);

/// <summary>A stale <c>If-Match</c> (412).</summary>
public sealed class PreconditionFailedException(string message) : AppException(message);

/// <summary>Too many attempts (429); the client may retry after <see cref="RetryAfter"/>.</summary>
public sealed class TooManyRequestsException(TimeSpan retryAfter, string message = "Too many attempts. Try again later.")
    : AppException(message)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>A resource server's credential (HTTP Basic) is missing or wrong (401 with <c>WWW-Authenticate: Basic</c>).</summary>
public sealed class InvalidClientException(string message = "The client credentials are missing or invalid.") : AppException(message);

/// <summary>Why a passkey ceremony was refused.</summary>
public enum PasskeyFailure
{
    /// <summary>The <c>credential</c> is not the WebAuthn JSON of a credential (bad base64url, CBOR or JSON).</summary>
    Malformed,

    /// <summary>The <c>challenge_id</c> is unknown, expired, used, or for another ceremony or user.</summary>
    ChallengeInvalid,

    /// <summary>The ceremony ran at an origin this service does not allow, or for another relying party id.</summary>
    WrongRelyingParty,

    /// <summary>The registration's attestation or flags (user verification) did not verify.</summary>
    RegistrationRefused,

    /// <summary>The assertion did not verify: unknown credential, another's, a bad signature, no user verification.</summary>
    AssertionRefused,

    /// <summary>A non-zero signature counter not above the stored one: a cloned authenticator or a replay.</summary>
    CounterRegressed,

    /// <summary>The credential is registered already (to this or another account).</summary>
    CredentialTaken,
}

/// <summary>A passkey ceremony was refused; the API gives each <see cref="Failure"/> its problem type.</summary>
public sealed class PasskeyException(PasskeyFailure failure, string? detail = null) : AppException(detail ?? failure switch
{
    PasskeyFailure.Malformed => "The credential is not the WebAuthn JSON of a passkey.",
    PasskeyFailure.ChallengeInvalid => "The challenge_id is unknown, expired, used, or for another ceremony. Ask for new options.",
    PasskeyFailure.WrongRelyingParty => "The passkey ceremony ran at an origin or for a relying party this service does not accept.",
    PasskeyFailure.RegistrationRefused => "The authenticator's answer did not verify (user verification is required).",
    PasskeyFailure.CounterRegressed => "The passkey's signature counter went backwards, as a copied authenticator's does. The sign-in was refused and recorded.",
    PasskeyFailure.CredentialTaken => "This passkey is registered already.",
    _ => "The passkey was not accepted.",
})
{
    public PasskeyFailure Failure { get; } = failure;
}
