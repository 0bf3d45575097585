namespace Paseto.Auth.Domain.SecurityEvents;

/// <summary>The kinds of security events; <c>type</c> in the API.</summary>
public static class SecurityEventTypes
{
    public const string Signup = "signup";
    public const string LoginSucceeded = "login_succeeded";
    public const string LoginFailed = "login_failed";
    public const string LoginThrottled = "login_throttled";
    public const string RefreshReuseDetected = "refresh_reuse_detected";
    public const string SessionRevoked = "session_revoked";
    public const string Logout = "logout";
    public const string PasswordChanged = "password_changed";
    public const string PasswordCheckFailed = "password_check_failed";
    public const string EmailChanged = "email_changed";
    public const string UsernameChanged = "username_changed";
    public const string RoleChanged = "role_changed";
    public const string AccountDeactivated = "account_deactivated";
    public const string AccountReactivated = "account_reactivated";
    public const string EmailVerified = "email_verified";
    public const string EmailChangeRequested = "email_change_requested";
    public const string EmailChangeCancelled = "email_change_cancelled";
    public const string PasswordResetRequested = "password_reset_requested";
    public const string PasswordReset = "password_reset";
    public const string NewDeviceSignIn = "new_device_sign_in";
    public const string MfaEnabled = "mfa_enabled";
    public const string MfaDisabled = "mfa_disabled";
    public const string RecoveryCodesRegenerated = "recovery_codes_regenerated";
    public const string RecoveryCodeUsed = "recovery_code_used";
    public const string MfaCheckFailed = "mfa_check_failed";
    public const string MfaFailureLimit = "mfa_failure_limit";

    /// <summary>A passkey was added to the account; details.passkey_id and details.name.</summary>
    public const string PasskeyAdded = "passkey_added";

    /// <summary>A passkey was removed from the account; details.passkey_id and details.name.</summary>
    public const string PasskeyRemoved = "passkey_removed";

    /// <summary>
    /// A passkey signed with a counter not above the one stored (a cloned authenticator, or a
    /// replayed assertion), and was refused; details.passkey_id, details.stored and details.presented.
    /// </summary>
    public const string PasskeyCounterRegressed = "passkey_counter_regressed";

    /// <summary>An admin ended all of a user's sessions at once (<c>DELETE /v1/users/{username}/sessions</c>); details.count and details.by.</summary>
    public const string SessionsRevokedByAdmin = "sessions_revoked_by_admin";

    public static readonly IReadOnlyList<string> All =
    [
        Signup, LoginSucceeded, LoginFailed, LoginThrottled, RefreshReuseDetected, SessionRevoked, Logout,
        PasswordChanged, PasswordCheckFailed, EmailChanged, UsernameChanged, RoleChanged, AccountDeactivated, AccountReactivated,
        EmailVerified, EmailChangeRequested, EmailChangeCancelled, PasswordResetRequested, PasswordReset, NewDeviceSignIn,
        MfaEnabled, MfaDisabled, RecoveryCodesRegenerated, RecoveryCodeUsed, MfaCheckFailed, MfaFailureLimit,
        SessionsRevokedByAdmin, PasskeyAdded, PasskeyRemoved, PasskeyCounterRegressed,
    ];
}
