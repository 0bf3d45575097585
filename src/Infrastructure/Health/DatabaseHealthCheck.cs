using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Paseto.Auth.Infrastructure.Persistence;

namespace Paseto.Auth.Infrastructure.Health;

/// <summary>
/// Ready means the database answers within the check's time budget, accepts the credentials and
/// has every migration this build knows: an instance started before <c>migrate</c> ran is kept out
/// of rotation. The description of an unhealthy result is the readiness answer's reason, so it
/// says what is wrong in words that name nothing internal.
/// </summary>
internal sealed class DatabaseHealthCheck(AuthDbContext db, DatabaseFailureLog failures) : IHealthCheck
{
    /// <summary>The readiness answer's reason when PostgreSQL refuses the configured user or password.</summary>
    public const string CredentialsRefused = "The database refused the credentials.";

    /// <summary>The readiness answer's reason when the connection goes through a pooler that keeps no prepared statements.</summary>
    public const string PreparedStatementLost = "The database connection goes through a pooler that keeps no prepared statements: set Max Auto Prepare=0.";

    private static readonly TimeSpan _budget = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_budget);
        if (failures.PreparedStatementLostSeen)
        {
            return HealthCheckResult.Unhealthy(PreparedStatementLost);
        }

        try
        {
            // Reading the migration history is the round trip that proves the database answers.
            var pending = await db.Database.GetPendingMigrationsAsync(timeout.Token);
            return pending.Any()
                ? HealthCheckResult.Unhealthy("The database schema is not up to date.")
                : HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (DatabaseFailures.IsCredentialsRefused(ex))
        {
            failures.Report(ex);
            return HealthCheckResult.Unhealthy(CredentialsRefused);
        }
        catch (Exception ex) when (DatabaseFailures.IsPreparedStatementLost(ex))
        {
            failures.Report(ex);
            return HealthCheckResult.Unhealthy(PreparedStatementLost);
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException || DatabaseFailures.IsUnavailable(ex))
        {
            failures.Report(ex);
            // The exception's message stays out of the response: it can name hosts and users.
            return HealthCheckResult.Unhealthy("The database is unreachable.");
        }
    }
}
