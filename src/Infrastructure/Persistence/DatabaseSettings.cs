using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Paseto.Auth.Infrastructure.Persistence;

/// <summary>
/// Where the database is: <c>ConnectionStrings:Postgres</c>, or the demo's <c>DATABASE_URL</c>
/// (<c>postgresql://user:pass@host:5432/db</c>).
/// </summary>
public static class DatabaseSettings
{
    public const string ConnectionStringName = "Postgres";

    private const string UrlForm = "postgresql://user:password@host:5432/database";

    /// <summary>
    /// The configured connection string, checked for form; a <see cref="ConfigurationException"/>
    /// naming the settings when there is none or it cannot be read.
    /// </summary>
    public static string RequireConnectionString(IConfiguration configuration)
    {
        var connectionString = FindConnectionString(configuration)
            ?? throw new ConfigurationException(
                $"No database is configured: set ConnectionStrings__Postgres (ConnectionStrings:Postgres) to Host=…;Port=5432;Database=…;Username=…;Password=…, or DATABASE_URL to {UrlForm}.");
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            // Npgsql's message can quote the value it could not read, which may be the password.
            throw new ConfigurationException(
                "ConnectionStrings__Postgres (ConnectionStrings:Postgres) is not a valid connection string: write it as Host=…;Port=5432;Database=…;Username=…;Password=…, or set DATABASE_URL instead.");
        }

        return connectionString;
    }

    public static string? FindConnectionString(IConfiguration configuration)
    {
        var configured = configuration.GetConnectionString(ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        var url = configuration["DATABASE_URL"];
        return string.IsNullOrWhiteSpace(url) ? null : FromUrl(url);
    }

    /// <summary>
    /// The data source every database call goes through: the configured connection string, with
    /// prepared statements for the queries every request runs, and no session reset when a
    /// connection goes back to the pool, unless the operator chose otherwise. The benchmark's
    /// ceiling app builds its pool here too, so both run with the same settings.
    /// </summary>
    /// <remarks>
    /// Npgsql otherwise prepends <c>SET SESSION AUTHORIZATION DEFAULT; RESET ALL; CLOSE ALL;
    /// UNLISTEN *; SELECT pg_advisory_unlock_all(); DISCARD SEQUENCES; DISCARD TEMP</c> to the
    /// next command on a pooled connection: for a one-query request that is most of PostgreSQL's
    /// work (docs/performance.md). Nothing here leaves session state behind: no SET, LISTEN or
    /// temporary tables, and the only advisory lock (the session cleanup's) is transaction-scoped.
    /// The session cache's LISTEN has a data source of its own (<c>SessionCacheListener</c>).
    /// </remarks>
    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var settings = builder.ConnectionStringBuilder;
        // Asked of the string, not the value: 0 is also Npgsql's default, and an operator behind a
        // pooler that keeps no prepared statements (PgBouncer 1.18 in transaction mode) sets it.
        if (!Names(connectionString, "MaxAutoPrepare"))
        {
            settings.MaxAutoPrepare = 32;
        }

        if (!Names(connectionString, "NoResetOnClose"))
        {
            settings.NoResetOnClose = true;
        }

        // Npgsql's own defaults (15 s to connect, 30 s per command) would hold a request that long
        // while the database is away; with these it is answered 503 within a few seconds.
        // An operator who sets either keeps theirs.
        if (!Names(connectionString, "Timeout"))
        {
            settings.Timeout = 5;
        }

        if (!Names(connectionString, "CommandTimeout"))
        {
            settings.CommandTimeout = 10;
        }

        return builder.Build();
    }

    /// <summary>Whether the connection string sets this keyword (spaces and case aside).</summary>
    private static bool Names(string connectionString, string keyword) =>
        new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys
            .Cast<string>()
            .Any(key => string.Equals(key.Replace(" ", string.Empty, StringComparison.Ordinal), keyword, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Turns a <c>postgres://</c> or <c>postgresql://</c> URL into an Npgsql connection string; a
    /// <see cref="ConfigurationException"/> (which never quotes the URL) when it is not one.
    /// </summary>
    public static string FromUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("postgres" or "postgresql") || uri.Host.Length == 0)
        {
            throw new ConfigurationException(
                $"DATABASE_URL is not a PostgreSQL URL: write it as {UrlForm} (percent-encode special characters in the password), or set ConnectionStrings__Postgres instead.");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
        };
        var userInfo = uri.UserInfo.Split(':', 2);
        if (userInfo[0].Length > 0)
        {
            builder.Username = Uri.UnescapeDataString(userInfo[0]);
        }

        if (userInfo.Length == 2)
        {
            builder.Password = Uri.UnescapeDataString(userInfo[1]);
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            if (parts.Length == 2 && parts[0] == "sslmode" && Enum.TryParse<SslMode>(parts[1], ignoreCase: true, out var mode))
            {
                builder.SslMode = mode;
            }
        }

        return builder.ConnectionString;
    }
}
