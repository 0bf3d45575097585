using Npgsql;

namespace Paseto.Auth.IntegrationTests.Support;

/// <summary>
/// One host and one fresh database per fixture; every test starts from empty tables, so tests
/// never see each other's rows.
/// </summary>
public abstract class ApiTestBase
{
    private NpgsqlDataSource? _dataSource;

    protected ApiFactory Factory { get; private set; } = null!;

    protected HttpClient Client { get; private set; } = null!;

    protected NpgsqlDataSource Database => _dataSource ?? throw new InvalidOperationException("Not set up.");

    /// <summary>Settings this fixture's host runs with, on top of the test defaults.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    [OneTimeSetUp]
    public async Task StartHost()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        _dataSource = NpgsqlDataSource.Create(connectionString);
        Factory = new ApiFactory(connectionString, Settings);
        Client = Factory.CreateClient();
    }

    [OneTimeTearDown]
    public async Task StopHost()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
    }

    [SetUp]
    public async Task ResetData()
    {
        await using var command = Database.CreateCommand("""
            DO $$
            DECLARE tables text;
            BEGIN
              SELECT string_agg(format('%I.%I', schemaname, tablename), ', ') INTO tables
              FROM pg_tables WHERE schemaname = 'paseto_auth' AND tablename <> '__ef_migrations_history';
              IF tables IS NOT NULL THEN
                EXECUTE 'TRUNCATE ' || tables || ' RESTART IDENTITY CASCADE';
              END IF;
            END $$;
            """);
        // The host's background work (the mail outbox, the retention cleanup) may hold a lock on
        // one of the tables while it waits for another, which the TRUNCATE takes in its own
        // order: PostgreSQL then ends one of the two as a deadlock. Only the reset is retried; a
        // deadlock in the code under test still fails its test.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await command.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < 5)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt));
            }
        }
    }

    /// <summary>Signs up <paramref name="username"/>, makes them an admin in the database, and logs them in.</summary>
    protected async Task<Tokens> SignupAdminAsync(string username)
    {
        await Client.SignupOkAsync(username);
        await ScalarAsync<int>("UPDATE paseto_auth.users SET role = 'admin' WHERE username = $1", username);
        return await Client.LoginOkAsync(username);
    }

    /// <summary>Reads one value straight from the database, bypassing the API.</summary>
    protected Task<T?> ScalarAsync<T>(string sql, params object[] parameters) => Database.ScalarAsync<T>(sql, parameters);
}
