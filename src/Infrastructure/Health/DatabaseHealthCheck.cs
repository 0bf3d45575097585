using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Paseto.Auth.Infrastructure.Persistence;

namespace Paseto.Auth.Infrastructure.Health;

/// <summary>
/// Ready means the database answers within the check's time budget and has every migration this
/// build knows: an instance started before <c>migrate</c> ran is kept out of rotation.
/// </summary>
internal sealed class DatabaseHealthCheck(AuthDbContext db) : IHealthCheck
{
    private static readonly TimeSpan _budget = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_budget);
        try
        {
            // Reading the migration history is the round trip that proves the database answers.
            var pending = await db.Database.GetPendingMigrationsAsync(timeout.Token);
            return pending.Any()
                ? HealthCheckResult.Unhealthy("The database schema is not up to date.")
                : HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException || DatabaseFailures.IsUnavailable(ex))
        {
            // The reason stays out of the response: it can name hosts and users.
            return HealthCheckResult.Unhealthy("The database is unreachable.");
        }
    }
}
