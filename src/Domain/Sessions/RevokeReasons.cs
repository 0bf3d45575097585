namespace Paseto.Auth.Domain.Sessions;

/// <summary>Why a session ended; recorded in <c>sessions.revoke_reason</c>.</summary>
public static class RevokeReasons
{
    public const string Logout = "logout";
    public const string RevokedByUser = "revoked_by_user";
    public const string RevokedByAdmin = "revoked_by_admin";
    public const string SessionLimit = "session_limit";
    public const string PasswordChanged = "password_changed";
    public const string AccountDeactivated = "account_deactivated";
    public const string RefreshReuse = "refresh_token_reuse";

    /// <summary>Too many wrong current passwords at step-ups from this session (<c>Auth:Throttling:StepUpFailuresPerSession</c>).</summary>
    public const string WrongPasswordLimit = "wrong_password_limit";
}
