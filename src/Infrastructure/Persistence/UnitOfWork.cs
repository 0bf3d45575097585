using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Common;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Domain.SecurityEvents;
using Paseto.Auth.Infrastructure.Persistence.Configurations;

namespace Paseto.Auth.Infrastructure.Persistence;

/// <summary>
/// Commits the use case's changes. Security events committed with them are also written as one
/// structured log line each, for log pipelines, and counted in the service's metrics — after the
/// commit, so a rolled-back change logs and counts nothing. The users and sessions changed leave
/// this instance's session cache once committed (<see cref="CacheInvalidations"/>).
/// </summary>
internal sealed partial class UnitOfWork(AuthDbContext db, CacheInvalidations invalidations, ILogger<UnitOfWork> logger) : IUnitOfWork
{
    private readonly List<SecurityEvent> _uncommittedEvents = [];

    public async Task SaveChangesAsync(CancellationToken cancellationToken)
    {
        var events = db.ChangeTracker.Entries<SecurityEvent>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        invalidations.CaptureTracked();
        try
        {
            // A login's rows (and a refused login's event) go as one plain batch; the rest through EF.
            if (!await AddedRows.TryInsertAsync(db, cancellationToken))
            {
                await db.SaveChangesAsync(cancellationToken);
            }
        }
        catch (DbUpdateConcurrencyException)
        {
            // A failed unit of work leaves nothing pending: what the handler does next starts clean.
            db.ChangeTracker.Clear();
            throw new ConcurrencyException();
        }
        catch (Exception ex) when (DatabaseFailures.Unwrap(ex) is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg)
        {
            db.ChangeTracker.Clear();
            // The database is the judge of uniqueness, so two racing signups cannot both win.
            throw new ConflictException(pg.ConstraintName switch
            {
                UserConfiguration.UsernameIndex => "The username is already taken.",
                UserConfiguration.EmailIndex => "The email is already registered.",
                _ => "The resource already exists.",
            });
        }

        invalidations.ApplyIfCommitted();
        if (db.Database.CurrentTransaction is null)
        {
            Log(events);
        }
        else
        {
            _uncommittedEvents.AddRange(events);
        }
    }

    public async Task<T> InTransactionAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        _uncommittedEvents.Clear();
        // A failed SaveChanges inside the work always ends it (the exception leaves the work and
        // the transaction rolls back), so the savepoint EF Core would set around each one is two
        // round trips for nothing. The pooled context restores the setting when it is returned.
        db.Database.AutoSavepointsEnabled = false;
        T result;
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            result = await work(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            invalidations.Apply();
        }

        Log(_uncommittedEvents);
        _uncommittedEvents.Clear();
        return result;
    }

    private void Log(List<SecurityEvent> events)
    {
        foreach (var e in events)
        {
            LogSecurityEvent(logger, e.Type, e.Id, e.UserId, e.SessionId, e.Ip, e.Details);
            ServiceMetrics.CountCommitted(e);
        }
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Information,
        Message = "Security event {EventType} #{EventId} user {UserId} session {SessionId} ip {ClientIp} details {Details}")]
    private static partial void LogSecurityEvent(ILogger logger, string eventType, long eventId, int? userId, Guid? sessionId, string? clientIp, string details);
}
