using Microsoft.Extensions.Logging;
using Npgsql;

namespace Paseto.Auth.Infrastructure.Persistence;

/// <summary>
/// Tells the operator why the database cannot be used: it refused the credentials, or it does not
/// answer. Every request, health probe and background job that meets the failure reports it here,
/// and the log says it at most once per <see cref="Interval"/> and cause, so a burst of requests
/// is one line, not thousands. The line names the settings to check, never their values.
/// </summary>
public sealed partial class DatabaseFailureLog(ILogger<DatabaseFailureLog> logger, TimeProvider time)
{
    /// <summary>How long a cause stays quiet after it was logged.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    private long _credentialsQuietUntil = long.MinValue;
    private long _unavailableQuietUntil = long.MinValue;
    private long _preparedQuietUntil = long.MinValue;

    /// <summary>
    /// Whether a prepared statement went missing since the start: a setting to fix, not a passing
    /// state, so readiness stays down until the instance restarts with <c>Max Auto Prepare=0</c>.
    /// </summary>
    public bool PreparedStatementLostSeen => Volatile.Read(ref _preparedQuietUntil) != long.MinValue;

    /// <summary>Logs the cause of <paramref name="exception"/> when it is one of ours and was not logged lately.</summary>
    public void Report(Exception exception)
    {
        if (DatabaseFailures.IsCredentialsRefused(exception))
        {
            if (FirstInInterval(ref _credentialsQuietUntil))
            {
                var refused = (PostgresException)DatabaseFailures.Unwrap(exception);
                LogCredentialsRefused(logger, refused.SqlState, refused.MessageText);
            }
        }
        else if (DatabaseFailures.IsPreparedStatementLost(exception))
        {
            if (FirstInInterval(ref _preparedQuietUntil))
            {
                LogPreparedStatementLost(logger, ((PostgresException)DatabaseFailures.Unwrap(exception)).SqlState);
            }
        }
        else if (DatabaseFailures.IsUnavailable(exception) && FirstInInterval(ref _unavailableQuietUntil))
        {
            var cause = DatabaseFailures.Unwrap(exception);
            LogUnavailable(logger, cause.GetType().Name, cause.InnerException is { } inner ? $"{cause.Message} {inner.Message}" : cause.Message);
        }
    }

    private bool FirstInInterval(ref long quietUntil)
    {
        var now = time.GetUtcNow().UtcTicks;
        var seen = Volatile.Read(ref quietUntil);
        // Of the reports racing past the end of the quiet time, the one whose swap succeeds logs.
        return now >= seen && Interlocked.CompareExchange(ref quietUntil, now + Interval.Ticks, seen) == seen;
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Error,
        Message = "The database refused the credentials (SQLSTATE {SqlState}: {Reason}): check the user name and password in ConnectionStrings__Postgres or DATABASE_URL. Answering 503 until it accepts them.")]
    private static partial void LogCredentialsRefused(ILogger logger, string sqlState, string reason);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Error,
        Message = "A prepared statement was not where Npgsql left it (SQLSTATE {SqlState}): ConnectionStrings__Postgres goes through a pooler in transaction mode that keeps no prepared statements, such as PgBouncer 1.18; add Max Auto Prepare=0 to it. Answering 503 to the requests that meet it.")]
    private static partial void LogPreparedStatementLost(ILogger logger, string sqlState);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning,
        Message = "The database does not answer ({Failure}: {Reason}): answering 503 until it does; check that PostgreSQL runs and that ConnectionStrings__Postgres or DATABASE_URL names it.")]
    private static partial void LogUnavailable(ILogger logger, string failure, string reason);
}
