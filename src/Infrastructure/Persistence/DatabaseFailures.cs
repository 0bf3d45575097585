using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Paseto.Auth.Infrastructure.Persistence;

/// <summary>Tells a database that cannot be reached apart from a bug in a query.</summary>
public static class DatabaseFailures
{
    public static bool IsUnavailable(Exception exception) => exception switch
    {
        PostgresException pg => pg.IsTransient || pg.SqlState is PostgresErrorCodes.AdminShutdown
            or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections,
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is SocketException or IOException or TimeoutException,
        DbUpdateException { InnerException: { } inner } => IsUnavailable(inner),
        InvalidOperationException { InnerException: { } inner } => IsUnavailable(inner),
        TimeoutException => true,
        _ => false,
    };

    /// <summary>
    /// The schema is missing or older than this build (its migrations were not applied): the
    /// service is not ready, which is no fault of the request. Happens when an instance of a new
    /// version starts before <c>migrate</c> has run.
    /// </summary>
    public static bool IsSchemaMissing(Exception exception) => exception switch
    {
        PostgresException pg => pg.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.UndefinedColumn
            or PostgresErrorCodes.InvalidSchemaName,
        DbUpdateException { InnerException: { } inner } => IsSchemaMissing(inner),
        InvalidOperationException { InnerException: { } inner } => IsSchemaMissing(inner),
        _ => false,
    };
}
