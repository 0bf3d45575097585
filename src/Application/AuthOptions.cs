using Paseto.Auth.Application.Email;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Application;

/// <summary>The <c>Auth</c> settings section.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>Lifetime of access tokens (<c>ACCESS_TOKEN_EXPIRE_MINUTES</c> sets it in minutes).</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long an unused refresh token stays valid; each refresh starts it again.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>The absolute lifetime of a session, however often it is refreshed.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The shared signup secret (<c>REFERER_SECRET</c>).</summary>
    public string RefererSecret { get; set; } = string.Empty;

    /// <summary>Roles a person may pick at signup.</summary>
    public string[] SelfAssignableRoles { get; set; } = [Roles.Member];

    public SessionOptions Sessions { get; set; } = new();

    public EventOptions Events { get; set; } = new();

    public ThrottlingOptions Throttling { get; set; } = new();

    public EmailFlowOptions Email { get; set; } = new();

    public SecondFactor.MfaOptions Mfa { get; set; } = new();

    public Passkeys.PasskeyOptions Passkeys { get; set; } = new();
}

/// <summary>The <c>Auth:Throttling</c> settings: slow online guessing down, never lock the owner out.</summary>
public sealed class ThrottlingOptions
{
    /// <summary>Failures one source (account + client address, or a known device) may make before delays start.</summary>
    public int FreeFailures { get; set; } = 3;

    /// <summary>The first delay; each further failure doubles it.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay a source waits between attempts.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A source's count starts over after this long without a failure.</summary>
    public TimeSpan ResetAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Failed logins an account takes per hour from all untrusted clients together (ASVS 2.2.1: at most 100).</summary>
    public int AccountFailuresPerHour { get; set; } = 100;

    /// <summary>
    /// Wrong current passwords one session may enter at a step-up (password change, email or
    /// username change, deactivation); the one that reaches it revokes the session.
    /// </summary>
    public int StepUpFailuresPerSession { get; set; } = 5;

    /// <summary>Wrong current passwords at a step-up an account takes per hour from all its sessions together.</summary>
    public int StepUpFailuresPerHour { get; set; } = 10;

    /// <summary>Signups one client address may make per hour.</summary>
    public int SignupsPerAddressPerHour { get; set; } = 10;

    /// <summary>Signups the whole service takes per hour.</summary>
    public int SignupsPerHour { get; set; } = 1000;
}

public sealed class EventOptions
{
    /// <summary>How long security events are kept; the background cleanup deletes older ones.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(180);
}

public sealed class SessionOptions
{
    /// <summary>Active sessions a user may hold at once; 1 means one device at a time.</summary>
    public int MaxActive { get; set; } = 5;

    /// <summary><c>revoke-oldest</c> (default) or <c>reject</c> (login answers 409).</summary>
    public string OnLimit { get; set; } = SessionLimitPolicy.RevokeOldest;

    /// <summary>How often the background cleanup deletes ended sessions.</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a revoked or expired session is kept (for the session owner's and admins' inspection) before deletion.</summary>
    public TimeSpan KeepEndedFor { get; set; } = TimeSpan.FromDays(7);
}

public static class SessionLimitPolicy
{
    public const string RevokeOldest = "revoke-oldest";
    public const string Reject = "reject";
}
