using Microsoft.EntityFrameworkCore;
using Npgsql;
using Paseto.Auth.Infrastructure.Persistence;
using Testcontainers.PostgreSql;

namespace Paseto.Auth.IntegrationTests.Support;

/// <summary>
/// The PostgreSQL server the tests run on, found in this order: the connection string in
/// <c>PASETO_AUTH_TEST_DB</c>; a Testcontainers container when a Docker engine answers; the
/// repository's own <c>scripts/postgres.sh</c> cluster. The real migrations build a template
/// database once per run; every test fixture gets a fresh copy of it.
/// </summary>
public static class TestPostgres
{
    public const string EnvironmentVariable = "PASETO_AUTH_TEST_DB";

    private static readonly string _runId = Guid.NewGuid().ToString("N")[..10];
    private static readonly List<string> _created = [];
    private static PostgreSqlContainer? _container;
    private static string? _serverConnectionString;

    private static string TemplateName => $"paseto_test_{_runId}_template";

    public static string ServerConnectionString =>
        _serverConnectionString ?? throw new InvalidOperationException("The test database server is not started.");

    public static async Task StartAsync()
    {
        _serverConnectionString = Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured
            ? configured
            : await TryStartContainerAsync() ?? await StartLocalClusterAsync();

        await ExecuteAsync($"CREATE DATABASE \"{TemplateName}\"");
        _created.Add(TemplateName);
        var options = new DbContextOptionsBuilder<AuthDbContext>();
        PersistenceSetup.Configure(options, ConnectionStringFor(TemplateName));
        await using var db = new AuthDbContext(options.Options);
        await db.Database.MigrateAsync();
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>A fresh database with the migrated schema and no rows.</summary>
    public static Task<string> CreateDatabaseAsync() => CreateAsync($"TEMPLATE \"{TemplateName}\"");

    /// <summary>A fresh database without the schema, as before the migrations run.</summary>
    public static Task<string> CreateEmptyDatabaseAsync() => CreateAsync("");

    private static async Task<string> CreateAsync(string options)
    {
        var name = $"paseto_test_{_runId}_{Guid.NewGuid().ToString("N")[..10]}";
        await ExecuteAsync($"CREATE DATABASE \"{name}\" {options}");
        lock (_created)
        {
            _created.Add(name);
        }

        return ConnectionStringFor(name);
    }

    public static async Task StopAsync()
    {
        NpgsqlConnection.ClearAllPools();
        foreach (var name in Enumerable.Reverse(_created))
        {
            await ExecuteAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        }

        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
    }

    private static string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = database }.ConnectionString;

    private static async Task ExecuteAsync(string sql)
    {
        var builder = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string?> TryStartContainerAsync()
    {
        try
        {
            var container = new PostgreSqlBuilder("postgres:15-alpine").Build();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await container.StartAsync(timeout.Token);
            _container = container;
            return container.GetConnectionString();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // No Docker engine here: the local cluster script takes over.
            return null;
        }
    }

    private static async Task<string> StartLocalClusterAsync()
    {
        await RepositoryScript.RunAsync("postgres.sh", ["start"]);
        return (await RepositoryScript.RunAsync("postgres.sh", ["url"])).Trim();
    }

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Paseto.Auth.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Paseto.Auth.sln not found above the test directory.");
    }
}
