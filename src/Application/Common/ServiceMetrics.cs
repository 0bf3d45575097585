using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Paseto.Auth.Domain.SecurityEvents;
using Paseto.Auth.Domain.Sessions;

namespace Paseto.Auth.Application.Common;

/// <summary>
/// The service's own instruments, on the meter <see cref="MeterName"/>: every name, unit and
/// attribute in one place (docs/operations.md lists them, docs/grafana-dashboard.json draws them).
/// Names follow the OpenTelemetry semantic conventions (dotted, lower case, no unit or
/// <c>_total</c> in the name; durations in seconds); a Prometheus scrape shows
/// <c>paseto_auth.logins</c> as <c>paseto_auth_logins_total</c>.
/// </summary>
/// <remarks>
/// Attributes take values from small fixed sets only (an outcome, a reason, an operation): never a
/// username, an address, an email, a session id or anything a client chooses, so a label can
/// neither identify a person nor grow without bound. Static like the framework's and Npgsql's
/// meters: a host's meter provider listens by name, and counts from the moment it starts.
/// </remarks>
public static class ServiceMetrics
{
    public const string MeterName = "Paseto.Auth";

    private static readonly Meter _meter = new(MeterName);

    /// <summary>Login attempts by <c>outcome</c>, one of <see cref="LoginOutcomes"/>; counted as their security events commit.</summary>
    public static readonly Counter<long> Logins = _meter.CreateCounter<long>(
        "paseto_auth.logins", "{login}", "Login attempts, by outcome.");

    /// <summary>Refresh-token exchanges by <c>outcome</c>, one of <see cref="RefreshOutcomes"/>.</summary>
    public static readonly Counter<long> TokenRefreshes = _meter.CreateCounter<long>(
        "paseto_auth.token_refreshes", "{refresh}", "Refresh-token exchanges, by outcome.");

    /// <summary>Sessions started (a successful login).</summary>
    public static readonly Counter<long> SessionsStarted = _meter.CreateCounter<long>(
        "paseto_auth.sessions.started", "{session}", "Sessions started.");

    /// <summary>Sessions ended before their time, by <c>reason</c> (the <c>revoke_reason</c> of the session, e.g. <c>logout</c>).</summary>
    public static readonly Counter<long> SessionsRevoked = _meter.CreateCounter<long>(
        "paseto_auth.sessions.revoked", "{session}", "Sessions revoked, by reason.");

    /// <summary>Mails whose delivery attempt failed (each is retried with backoff).</summary>
    public static readonly Counter<long> MailSendFailures = _meter.CreateCounter<long>(
        "paseto_auth.mail.send_failures", "{message}", "Mail delivery attempts that failed.");

    /// <summary>How long a password hash waited for a free slot (at most one hash per core runs at a time).</summary>
    public static readonly Histogram<double> PasswordHashQueueWait = _meter.CreateHistogram(
        "paseto_auth.password_hashing.queue.duration", "s", "Time a password hash waited for a free hashing slot.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

    /// <summary>How long one Argon2id computation took.</summary>
    public static readonly Histogram<double> PasswordHashDuration = _meter.CreateHistogram(
        "paseto_auth.password_hashing.duration", "s", "Time one Argon2id computation took.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1] });

    /// <summary>How long the bearer token's session check took (the one database round trip of every authenticated request), by <c>result</c>.</summary>
    public static readonly Histogram<double> SessionCheckDuration = _meter.CreateHistogram(
        "paseto_auth.session_check.duration", "s", "Time the session check of a bearer token took.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1] });

    /// <summary>The observable gauge of the mail outbox's depth (mails not sent yet), unit <c>{message}</c>; its reader counts on the database, so it lives with the host's services.</summary>
    public const string OutboxDepthName = "paseto_auth.mail.outbox.depth";

    /// <summary>
    /// Counts what a committed security event says: a login's outcome, a session started or
    /// revoked. Called once per event after its commit, so the counts match the users' histories
    /// and a rolled-back change counts nothing; the use cases need no metric code of their own.
    /// </summary>
    public static void CountCommitted(SecurityEvent committed)
    {
        ArgumentNullException.ThrowIfNull(committed);
        switch (committed.Type)
        {
            case SecurityEventTypes.LoginSucceeded:
                Login(LoginOutcomes.Success);
                SessionsStarted.Add(1);
                break;
            case SecurityEventTypes.LoginThrottled:
                Login(LoginOutcomes.Throttled);
                break;
            case SecurityEventTypes.LoginFailed:
                Login(ReasonOf(committed) == "email_not_verified" ? LoginOutcomes.EmailNotVerified : LoginOutcomes.WrongPassword);
                break;
            case SecurityEventTypes.SessionRevoked:
                SessionRevoked(ReasonOf(committed) ?? "unknown");
                break;
            case SecurityEventTypes.Logout:
                SessionRevoked(RevokeReasons.Logout);
                break;
            default:
                break;
        }
    }

    public static void Login(string outcome) => Logins.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public static void TokenRefresh(string outcome) => TokenRefreshes.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public static void SessionRevoked(string reason) => SessionsRevoked.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>The event's <c>reason</c> detail: one of the fixed strings the use cases write, never client text.</summary>
    private static string? ReasonOf(SecurityEvent e)
    {
        using var details = JsonDocument.Parse(e.Details);
        return details.RootElement.TryGetProperty("reason", out var reason) && reason.ValueKind == JsonValueKind.String ? reason.GetString() : null;
    }

    /// <summary>Seconds since <paramref name="startTimestamp"/>, a <see cref="Stopwatch.GetTimestamp"/>.</summary>
    public static double SecondsSince(long startTimestamp) => Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds;
}

/// <summary>The <c>outcome</c> values of <see cref="ServiceMetrics.Logins"/>.</summary>
public static class LoginOutcomes
{
    public const string Success = "success";

    /// <summary>Any refused password, an unknown username or an inactive account alike: the client gets one answer for all three, and so does the metric.</summary>
    public const string WrongPassword = "wrong_password";

    public const string Throttled = "throttled";

    /// <summary>The right password of an account whose email must be verified first (<c>Auth:Email:RequireVerified</c>).</summary>
    public const string EmailNotVerified = "email_not_verified";

    /// <summary>The right password of an account with a second factor: the login waits for the code.</summary>
    public const string MfaRequired = "mfa_required";
}

/// <summary>The <c>outcome</c> values of <see cref="ServiceMetrics.TokenRefreshes"/>.</summary>
public static class RefreshOutcomes
{
    public const string Rotated = "rotated";

    /// <summary>A spent refresh token came back: its session is revoked.</summary>
    public const string ReuseDetected = "reuse_detected";

    /// <summary>Unknown, expired or revoked token, or an inactive account.</summary>
    public const string Invalid = "invalid";
}
