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
}
