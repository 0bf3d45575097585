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
    /// No SQL text in any log line (DESIGN §2), and no copies of failures that code above tells
    /// better: the API's exception handler logs what it does not expect (with the stack trace) and
    /// answers the rest, an outage or a taken username, with a problem; the host's start-up report
    /// prints a verb's failure as one line. So the events that carry a command's text (a planned
    /// query its SQL-shaped expression, a query being compiled its expression, which for
    /// <c>SqlQuery</c> is the SQL itself) or a failure's trace are off, and a failed connection,
    /// logged for every request while the database is away, goes to Debug.
    /// </remarks>
    private static void Apply(DbContextOptionsBuilder options) =>
        options.UseSnakeCaseNamingConvention()
            .ConfigureWarnings(warnings => warnings
                .Ignore(
                    RelationalEventId.CommandExecuting,
                    RelationalEventId.CommandExecuted,
                    RelationalEventId.CommandError,
                    RelationalEventId.CommandCanceled,
                    CoreEventId.SaveChangesFailed,
                    CoreEventId.QueryIterationFailed,
                    CoreEventId.QueryExecutionPlanned,
                    CoreEventId.QueryCompilationStarting)
                .Log((RelationalEventId.ConnectionError, LogLevel.Debug)));
}
