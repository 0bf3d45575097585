using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
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

    private static void Apply(DbContextOptionsBuilder options) =>
        options.UseSnakeCaseNamingConvention()
            // No SQL text in any log line (DESIGN §2): these events carry the command text (a
            // planned query its SQL-shaped expression), and the failures also a stack trace for
            // outcomes as expected as a taken username. A failure that is a bug still reaches the
            // API's exception handler, which logs it once.
            .ConfigureWarnings(warnings => warnings.Ignore(
                RelationalEventId.CommandExecuting,
                RelationalEventId.CommandExecuted,
                RelationalEventId.CommandError,
                RelationalEventId.CommandCanceled,
                CoreEventId.SaveChangesFailed,
                CoreEventId.QueryIterationFailed,
                CoreEventId.QueryExecutionPlanned));
}
