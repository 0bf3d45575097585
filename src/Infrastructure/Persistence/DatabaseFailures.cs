using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Paseto.Auth.Infrastructure.Persistence;

/// <summary>Tells a database that cannot be reached apart from a bug in a query.</summary>
public static class DatabaseFailures
{
    public static bool IsUnavailable(Exception exception) => Unwrap(exception) switch
    {
        PostgresException pg => pg.IsTransient || pg.SqlState is PostgresErrorCodes.AdminShutdown
            or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections,
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is SocketException or IOException or TimeoutException,
        TimeoutException => true,
        _ => false,
    };

    /// <summary>
    /// PostgreSQL refused the configured user or password (28P01 <c>invalid_password</c>; 28000
    /// <c>invalid_authorization_specification</c>, which includes no <c>pg_hba.conf</c> entry for
    /// this client). Not transient, yet no fault of the request: the operator has to fix a setting.
    /// </summary>
    public static bool IsCredentialsRefused(Exception exception) =>
        Unwrap(exception) is PostgresException
        {
            SqlState: PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification,
        };

    /// <summary>
    /// A statement Npgsql prepared on this connection is not on the server connection it reached
    /// (26000 <c>invalid_sql_statement_name</c>), or one of the same name is already there (42P05
    /// <c>duplicate_prepared_statement</c>): the connection goes through a pooler in transaction
    /// mode that keeps no prepared statements (PgBouncer 1.18) while automatic preparation is on.
    /// No fault of the request: the operator adds <c>Max Auto Prepare=0</c>.
    /// </summary>
    public static bool IsPreparedStatementLost(Exception exception) =>
        Unwrap(exception) is PostgresException
        {
            SqlState: PostgresErrorCodes.InvalidSqlStatementName or PostgresErrorCodes.DuplicatePreparedStatement,
        };

    /// <summary>
    /// The schema is missing or older than this build (its migrations were not applied): the
    /// service is not ready, which is no fault of the request. Happens when an instance of a new
    /// version starts before <c>migrate</c> has run.
    /// </summary>
    public static bool IsSchemaMissing(Exception exception) =>
        Unwrap(exception) is PostgresException
        {
            SqlState: PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.UndefinedColumn or PostgresErrorCodes.InvalidSchemaName,
        };

    /// <summary>The database's own exception inside the wrappers EF Core puts around it.</summary>
    internal static Exception Unwrap(Exception exception) => exception switch
    {
        DbUpdateException { InnerException: { } inner } => Unwrap(inner),
        InvalidOperationException { InnerException: { } inner } => Unwrap(inner),
        _ => exception,
    };
}
