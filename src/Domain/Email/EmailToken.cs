namespace Paseto.Auth.Domain.Email;

/// <summary>
/// A one-time token sent by mail (verify an address, reset a password, confirm or cancel an
/// email change). Only the SHA-256 of the 256-bit secret is stored; the token is bound to its
/// purpose, to its user and to the address it was sent for, and works once, before it expires.
/// </summary>
public sealed class EmailToken
{
    private EmailToken()
    {
    }

    public long Id { get; private set; }

    public int UserId { get; private set; }

    public string Purpose { get; private set; } = string.Empty;

    /// <summary>The address the token speaks for: the one to verify or switch to, or the old one for a cancel.</summary>
    public string Address { get; private set; } = string.Empty;

    public byte[] TokenHash { get; private set; } = [];

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    /// <summary>When it was used, or killed by a newer token of the same purpose.</summary>
    public DateTimeOffset? UsedAt { get; private set; }

    public static EmailToken Create(int userId, string purpose, string address, byte[] tokenHash, DateTimeOffset now, TimeSpan lifetime) => new()
    {
        UserId = userId,
        Purpose = purpose,
        Address = address,
        TokenHash = tokenHash,
        CreatedAt = now,
        ExpiresAt = now + lifetime,
    };
}

/// <summary>What an <see cref="EmailToken"/> may be used for.</summary>
public static class EmailTokenPurposes
{
    public const string VerifyEmail = "verify_email";
    public const string ResetPassword = "reset_password";
    public const string ChangeEmail = "change_email";
    public const string CancelEmailChange = "cancel_email_change";

    public static readonly IReadOnlyList<string> All = [VerifyEmail, ResetPassword, ChangeEmail, CancelEmailChange];
}

/// <summary>The mails the service sends; <see cref="OutboxMessage.Kind"/>.</summary>
public static class MailKinds
{
    public const string VerifyEmail = "verify_email";
    public const string ResetPassword = "reset_password";
    public const string ConfirmEmailChange = "confirm_email_change";
    public const string EmailChangeRequested = "email_change_requested";
    public const string PasswordChanged = "password_changed";
    public const string PasswordReset = "password_reset";
    public const string NewDeviceSignIn = "new_device_sign_in";
    public const string RefreshReuseDetected = "refresh_reuse_detected";
    public const string MfaEnabled = "mfa_enabled";
    public const string MfaDisabled = "mfa_disabled";
    public const string RecoveryCodesRegenerated = "recovery_codes_regenerated";
    public const string RecoveryCodeUsed = "recovery_code_used";
    public const string MfaFailureLimit = "mfa_failure_limit";
    public const string PasskeyAdded = "passkey_added";
    public const string PasskeyRemoved = "passkey_removed";
    public const string PasskeyCounterRegressed = "passkey_counter_regressed";
}
