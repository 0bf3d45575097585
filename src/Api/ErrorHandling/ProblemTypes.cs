namespace Paseto.Auth.Api.ErrorHandling;

/// <summary>
/// The problem types a client must tell apart (DESIGN §2: <c>/problems/&lt;slug&gt;</c>, relative
/// URI references, RFC 9457 §3.1.1). Each is listed with its meaning in the API docs; any other
/// problem is <c>about:blank</c> and its status says enough.
/// </summary>
internal static class ProblemTypes
{
    private const string Prefix = "/problems/";

    /// <summary>400: fields are invalid, or the body is not the JSON the operation reads; <c>errors</c> says where.</summary>
    public const string Validation = Prefix + "validation";

    /// <summary>401 at login: wrong username, email or password, or an inactive account (one answer for all).</summary>
    public const string InvalidCredentials = Prefix + "invalid-credentials";

    /// <summary>401: the re-entered <c>current_password</c> is wrong; the access token itself is fine, so do not refresh.</summary>
    public const string WrongPassword = Prefix + "wrong-password";

    /// <summary>401: no access token was sent to an operation that needs one.</summary>
    public const string TokenRequired = Prefix + "token-required";

    /// <summary>401: the access token is malformed, forged, for another key, issuer or audience.</summary>
    public const string InvalidToken = Prefix + "invalid-token";

    /// <summary>401: a genuine access token past its <c>exp</c>; a refresh gets a new one.</summary>
    public const string TokenExpired = Prefix + "token-expired";

    /// <summary>401: a genuine access token whose session ended (logout, revocation, an inactive account); log in again.</summary>
    public const string SessionEnded = Prefix + "session-ended";

    /// <summary>401 at token introspection: the resource server's HTTP Basic credential is missing or wrong.</summary>
    public const string InvalidClient = Prefix + "invalid-client";

    /// <summary>403 at signup: the referer secret is missing or wrong.</summary>
    public const string RefererSecret = Prefix + "referer-secret";

    /// <summary>403 at login: the password is right but the email is not verified yet; a new link was mailed (<c>Auth:Email:RequireVerified</c>).</summary>
    public const string EmailNotVerified = Prefix + "email-not-verified";

    /// <summary>403 at login: the password is right and the account has a second factor; the problem carries <c>mfa_token</c> and <c>methods</c> for <c>POST /v1/login/mfa</c>.</summary>
    public const string MfaRequired = Prefix + "mfa-required";

    /// <summary>403: the caller's role needs a second factor (<c>Auth:Mfa:RequiredForRoles</c>) and the account has none yet; enrol one.</summary>
    public const string MfaEnrollmentRequired = Prefix + "mfa-enrollment-required";

    /// <summary>403: the caller's role needs a second factor and this session's login did not use it; log in again with it.</summary>
    public const string MfaSessionRequired = Prefix + "mfa-session-required";

    /// <summary>401: the account has a second factor and the request carries neither <c>code</c> nor <c>recovery_code</c>.</summary>
    public const string MfaCodeRequired = Prefix + "mfa-code-required";

    /// <summary>401: the TOTP code or recovery code is wrong or used; another may be tried (the access token, if any, is fine).</summary>
    public const string WrongMfaCode = Prefix + "wrong-mfa-code";

    /// <summary>401 at <c>/v1/login/mfa</c>: the <c>mfa_token</c> is unknown, expired, used, or spent by wrong codes; log in again.</summary>
    public const string MfaTokenInvalid = Prefix + "mfa-token-invalid";

    /// <summary>400: the passkey ceremony's <c>challenge_id</c> is unknown, expired, used, or for another ceremony or user; ask for new options.</summary>
    public const string PasskeyChallengeInvalid = Prefix + "passkey-challenge-invalid";

    /// <summary>400: the passkey ceremony ran at an origin not in <c>Auth:Passkeys:Origins</c>, or for another relying party id (a phishing site's, say).</summary>
    public const string PasskeyOriginMismatch = Prefix + "passkey-origin-mismatch";

    /// <summary>400 when adding a passkey, 401 when using one: the authenticator's answer did not verify (unknown or another's passkey, signature, user verification).</summary>
    public const string PasskeyRefused = Prefix + "passkey-refused";

    /// <summary>401: the passkey signed with a counter not above the last one, as a copied authenticator does; refused and recorded.</summary>
    public const string PasskeyCounterRegressed = Prefix + "passkey-counter-regressed";

    /// <summary>409: a username or email is taken, or another rule of the current state refuses the change.</summary>
    public const string Conflict = Prefix + "conflict";

    /// <summary>412: the <c>If-Match</c> names an older version.</summary>
    public const string PreconditionFailed = Prefix + "precondition-failed";

    /// <summary>415: the body's content type (or its charset) is not one the operation reads.</summary>
    public const string UnsupportedMediaType = Prefix + "unsupported-media-type";

    /// <summary>429: throttled; <c>Retry-After</c> says how many seconds to wait.</summary>
    public const string TooManyRequests = Prefix + "too-many-requests";

    /// <summary>503: the database is unreachable (or not migrated yet); <c>Retry-After</c> says when to try again.</summary>
    public const string Unavailable = Prefix + "unavailable";
}
