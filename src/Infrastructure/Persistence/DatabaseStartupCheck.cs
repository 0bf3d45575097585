using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Paseto.Auth.Infrastructure.Persistence;

/// <summary>
/// Opens one connection as the service starts, so a database that refuses the credentials or
/// does not answer is in the log at once, not at the first request. The service starts all the
/// same: it answers 503 until the database is usable, and recovers without a restart.
/// </summary>
internal sealed class DatabaseStartupCheck(NpgsqlDataSource dataSource, DatabaseFailureLog failures) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            failures.Report(ex);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped before the database answered: nothing to tell.
        }
    }
}
