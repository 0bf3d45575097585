using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Npgsql;
using Paseto.Auth.Infrastructure;
using Paseto.Auth.Infrastructure.Persistence;
using Paseto.Auth.Seed;

// The seed of scripts/bench.sh: the benchmark's users, sessions and posts, written with binary
// COPY as the EF Core model maps them, so a migration that changes a table changes the seed with
// it (or stops the build), instead of leaving a hand-written column list behind.
SeedOptions options;
try
{
    options = SeedOptions.Parse(args);
}
catch (UsageException e)
{
    await Console.Error.WriteLineAsync($"{e.Message}\n{SeedOptions.Usage}");
    return 2;
}

string connectionString;
try
{
    connectionString = DatabaseSettings.RequireConnectionString(new ConfigurationBuilder().AddEnvironmentVariables().Build());
}
catch (ConfigurationException e)
{
    await Console.Error.WriteLineAsync($"Configuration error: {e.Message}");
    return 1;
}

var contextOptions = new DbContextOptionsBuilder<AuthDbContext>();
PersistenceSetup.Configure(contextOptions, connectionString);
await using var context = new AuthDbContext(contextOptions.Options);
await using var dataSource = NpgsqlDataSource.Create(connectionString);
NpgsqlConnection connection;
try
{
    connection = await dataSource.OpenConnectionAsync();
}
catch (NpgsqlException e)
{
    await Console.Error.WriteLineAsync($"seed: could not connect to the database: {e.Message}");
    return 1;
}

await using (connection)
{
    try
    {
        await new Seeder(context.Model, connection, options).RunAsync(CancellationToken.None);
        return 0;
    }
    catch (SeedException e)
    {
        await Console.Error.WriteLineAsync($"seed: {e.Message}");
        return 1;
    }
}
