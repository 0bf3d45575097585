using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Paseto.Auth.Application;

namespace Paseto.Auth.Infrastructure.Persistence;

/// <summary>
/// Deletes sessions that ended (revoked or expired) longer than <c>Auth:Sessions:KeepEndedFor</c>
/// ago, with their spent refresh tokens, security events older than <c>Auth:Events:Retention</c>,
/// throttle counters idle for longer than any counter's window, and sent mails and dead email
/// tokens older than <c>Email:Outbox:KeepSentFor</c>, so the tables do not grow
/// forever (every name an attacker tries gets counters). Several instances may
/// run it: a transaction-scoped advisory lock lets one of them work at a time, and the delete is
/// idempotent anyway.
/// </summary>
public sealed partial class RetentionCleanup(
    NpgsqlDataSource dataSource,
    IOptions<AuthOptions> options,
    IOptions<Email.EmailOptions> emailOptions,
    TimeProvider time,
    ILogger<RetentionCleanup> logger) : BackgroundService
{
    private const long AdvisoryLockKey = 0x7061_7365_746f_0001;

    /// <summary>Runs one pass; returns how many rows were deleted (0 when another instance holds the lock).</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var cutoff = now - options.Value.Sessions.KeepEndedFor;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_try_advisory_xact_lock($1)", connection, transaction))
        {
            lockCommand.Parameters.Add(new NpgsqlParameter<long> { TypedValue = AdvisoryLockKey });
            if (await lockCommand.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return 0;
            }
        }

        await using var delete = new NpgsqlCommand(
            "DELETE FROM paseto_auth.sessions WHERE revoked_at < $1 OR expires_at < $1", connection, transaction);
        delete.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = cutoff });
        var deleted = await delete.ExecuteNonQueryAsync(cancellationToken);
        await using var deleteEvents = new NpgsqlCommand("DELETE FROM paseto_auth.security_events WHERE at < $1", connection, transaction);
        deleteEvents.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now - options.Value.Events.Retention });
        deleted += await deleteEvents.ExecuteNonQueryAsync(cancellationToken);
        // A counter idle for longer than the longest window (a source's quiet reset, an hourly
        // budget, a session's step-up count, a block) would count from zero anyway.
        var settings = options.Value;
        var longest = new[] { settings.Throttling.ResetAfter, settings.Throttling.MaxDelay, TimeSpan.FromHours(1), settings.SessionLifetime }.Max();
        await using var deleteCounters = new NpgsqlCommand(
            "DELETE FROM paseto_auth.throttle_counters WHERE last_at < $1 AND (blocked_until IS NULL OR blocked_until < $2)", connection, transaction);
        deleteCounters.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now - longest });
        deleteCounters.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        deleted += await deleteCounters.ExecuteNonQueryAsync(cancellationToken);
        // Unsent mails stay whatever their age: they are what an outage must not lose.
        foreach (var sql in new[]
        {
            "DELETE FROM paseto_auth.mail_outbox WHERE sent_at < $1",
            "DELETE FROM paseto_auth.email_tokens WHERE expires_at < $1 OR used_at < $1",
            // Logins waiting for a second factor live minutes; a dead one only needs to outlive a retry.
            "DELETE FROM paseto_auth.mfa_challenges WHERE expires_at < $1",
            // So are passkey ceremonies; an unfinished one is deleted only here.
            "DELETE FROM paseto_auth.passkey_challenges WHERE expires_at < $1",
        })
        {
            await using var deleteMail = new NpgsqlCommand(sql, connection, transaction);
            deleteMail.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now - emailOptions.Value.Outbox.KeepSentFor });
            deleted += await deleteMail.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Sessions.CleanupInterval, time);
        do
        {
            try
            {
                var deleted = await RunOnceAsync(stoppingToken);
                if (deleted > 0)
                {
                    LogDeleted(logger, deleted);
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                // The database is away; the next tick tries again.
                LogFailed(logger, ex.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention cleanup deleted {Count} rows (ended sessions, old security events, idle throttle counters, sent mails, dead email tokens)")]
    private static partial void LogDeleted(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention cleanup skipped: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
