using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Paseto.Auth.Infrastructure.Health;

/// <summary>Ready means the database answers a trivial query within the check's time budget.</summary>
internal sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    private static readonly TimeSpan _budget = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_budget);
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            // The reason stays out of the response: it can name hosts and users.
            return HealthCheckResult.Unhealthy("The database is unreachable.");
        }
    }
}
