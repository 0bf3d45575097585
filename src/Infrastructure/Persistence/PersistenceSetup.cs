using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Paseto.Auth.Infrastructure.Persistence;

public static class PersistenceSetup
{
    public const string MigrationsHistoryTable = "__ef_migrations_history";

    public static void Configure(DbContextOptionsBuilder options, string connectionString) =>
        Apply(options.UseNpgsql(connectionString, Npgsql));

    public static void Configure(DbContextOptionsBuilder options, NpgsqlDataSource dataSource) =>
        Apply(options.UseNpgsql(dataSource, Npgsql));

    private static void Npgsql(Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure.NpgsqlDbContextOptionsBuilder npgsql) =>
        npgsql.MigrationsHistoryTable(MigrationsHistoryTable, AuthDbContext.Schema);

    /// <remarks>
    /// EF Core logs a failed connection and a failed query as errors, the latter with the stack
    /// trace, and does so for every request while the database is away. The exception reaches
    /// code that tells it better: the API's exception handler logs what it does not expect (with
    /// the stack trace) and answers the rest with a 503, the host's start-up report prints a
    /// verb's failure as one line. So EF's copies go to Debug.
    /// </remarks>
    private static void Apply(DbContextOptionsBuilder options) =>
        options.UseSnakeCaseNamingConvention()
            .ConfigureWarnings(warnings => warnings.Log(
                (RelationalEventId.ConnectionError, LogLevel.Debug),
                (CoreEventId.QueryIterationFailed, LogLevel.Debug)));
}
