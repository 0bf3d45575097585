namespace Paseto.Auth.Domain.Users;

/// <summary>
/// The ways a login proves who it is: <c>methods</c> of the <c>mfa-required</c> problem and the
/// authentication methods a session keeps. A second factor is any method but the password, so
/// a later kind (a passkey) is one more constant here, not a new rule.
/// </summary>
public static class AuthMethods
{
    public const string Password = "password";
    public const string Totp = "totp";
    public const string RecoveryCode = "recovery_code";

    /// <summary>A WebAuthn assertion with user verification (DESIGN §11).</summary>
    public const string Passkey = "passkey";

    /// <summary>Whether <paramref name="methods"/> (a session's) include a second factor.</summary>
    public static bool IncludeSecondFactor(IEnumerable<string> methods) =>
        methods.Any(m => !string.Equals(m, Password, StringComparison.Ordinal));
}
