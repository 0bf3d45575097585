using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Bench;

/// <summary>
/// The benchmark's seed (<c>bench/Seed</c>, run as <c>scripts/bench.sh</c> runs it): the rows it
/// writes with binary COPY are users the API logs in, with sessions and posts the API lists, and a
/// table that is not what this build's model maps stops it with a message naming the column.
/// </summary>
public sealed class SeedTests : ApiTestBase
{
    [Test]
    public async Task Seeded_users_log_in_and_read_their_seeded_sessions_and_posts()
    {
        await Client.SignupOkAsync("benchseed");
        var hash = await ScalarAsync<string>("SELECT password FROM paseto_auth.users WHERE username = 'benchseed'");
        var offset = await ScalarAsync<int>("SELECT max(id) FROM paseto_auth.users");

        var seed = await RunSeedAsync(Factory.ConnectionString,
            "--id-offset", $"{offset}", "--password-hash", hash!, "--users", "1-5", "--sessions", "1-2", "--posts", "1-5", "--reserve-users", "50");

        Assert.That(seed.ExitCode, Is.Zero, seed.Error);
        Assert.That(await ScalarAsync<int>("SELECT id FROM paseto_auth.users WHERE username = 'bench_0000003'"), Is.EqualTo(offset + 3));
        var tokens = await Client.LoginOkAsync("bench_0000002");
        var sessions = await Client.GetAsync("/v1/sessions", tokens.AccessToken);
        Assert.That(sessions.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var items = (await sessions.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray().ToList();
        var seeded = items.Single(s => !s.GetProperty("current").GetBoolean());
        Assert.Multiple(() =>
        {
            Assert.That(items, Has.Count.EqualTo(2), "the seeded session and the login's");
            Assert.That(seeded.GetProperty("user_agent").GetString(), Is.EqualTo("bench"));
            Assert.That(seeded.GetProperty("ip").GetString(), Is.EqualTo("127.0.0.1"));
            Assert.That(
                seeded.GetProperty("expires_at").GetDateTimeOffset() - seeded.GetProperty("created_at").GetDateTimeOffset(),
                Is.EqualTo(TimeSpan.FromDays(30)),
                "the API's default session lifetime");
        });

        var posts = await Client.GetAsync("/v1/posts?limit=20", tokens.AccessToken);
        var page = (await posts.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(page.Select(p => p.GetProperty("title").GetString()), Is.EqualTo(new[] { 5, 4, 3, 2, 1 }.Select(k => $"Bench post {k}")));
            Assert.That(page[0].GetProperty("author").GetString(), Is.EqualTo("bench_0000005"));
        });

        await Client.SignupOkAsync("after_the_seed");
        Assert.That(
            await ScalarAsync<int>("SELECT id FROM paseto_auth.users WHERE username = 'after_the_seed'"),
            Is.GreaterThan(offset + 50),
            "--reserve-users keeps the ids up to the scale run's last user for the seed");
    }

    [TestCase("ALTER TABLE paseto_auth.posts RENAME COLUMN title TO headline", "title")]
    [TestCase("ALTER TABLE paseto_auth.posts ADD COLUMN summary text NOT NULL", "summary")]
    public async Task A_table_the_model_does_not_map_stops_the_seed_naming_the_column(string change, string column)
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        await using (var database = NpgsqlDataSource.Create(connectionString))
        {
            await using var command = database.CreateCommand(change);
            await command.ExecuteNonQueryAsync();
        }

        var seed = await RunSeedAsync(connectionString, "--id-offset", "0", "--password-hash", "$argon2id$", "--users", "1-3", "--posts", "1-3");

        Assert.Multiple(() =>
        {
            Assert.That(seed.ExitCode, Is.EqualTo(1));
            Assert.That(seed.Error, Does.Contain("paseto_auth.posts").And.Contain($"\"{column}\"").And.Contain("migrate"));
            Assert.That(seed.Error, Does.Not.Contain("   at "), "one message, no stack trace");
        });
        await using var check = NpgsqlDataSource.Create(connectionString);
        Assert.That(await check.ScalarAsync<long>("SELECT count(*) FROM paseto_auth.posts"), Is.Zero);
    }

    private sealed record SeedRun(int ExitCode, string Error);

    /// <summary>Runs the seed of this build (the configuration these tests were built in) on a database.</summary>
    private static async Task<SeedRun> RunSeedAsync(string connectionString, params string[] arguments)
    {
        var build = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        var dll = Path.Combine(TestPostgres.RepositoryRoot(), "bench", "Seed", "bin", build.Parent!.Name, build.Name, "Paseto.Auth.Seed.dll");
        Assert.That(dll, Does.Exist, "bench/Seed is built with the solution");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ConnectionStrings__Postgres"] = connectionString;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        await output;
        return new SeedRun(process.ExitCode, await error);
    }
}
