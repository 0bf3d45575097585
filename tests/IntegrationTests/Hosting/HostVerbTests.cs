using System.Diagnostics;
using Npgsql;
using Paseto.Auth.Infrastructure.Tokens.Paseto;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Hosting;

/// <summary>The host's command-line verbs, run as the real process.</summary>
public sealed class HostVerbTests : ApiTestBase
{
    private static string ApiDll => Path.Combine(TestContext.CurrentContext.TestDirectory, "Paseto.Auth.Api.dll");

    private async Task<(int ExitCode, string Output, string Error)> RunAsync(string arguments, string? stdin = null, Dictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet", $"\"{ApiDll}\" {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = TestContext.CurrentContext.TestDirectory,
        };
        start.Environment["ConnectionStrings__Postgres"] = Factory.ConnectionString;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["Paseto__Keys__0"] = TestKeys.Local;
        foreach (var (key, value) in environment ?? [])
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteLineAsync(stdin);
        }

        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    [Test]
    public async Task Generate_keys_prints_a_local_paserk_key_without_a_database()
    {
        var (exit, output, _) = await RunAsync("generate-keys", environment: new() { ["ConnectionStrings__Postgres"] = "" });

        Assert.That(exit, Is.Zero);
        var key = output.Split('\n').Single(l => l.StartsWith("k4.", StringComparison.Ordinal)).Trim();
        Assert.That(SymmetricKey.TryParsePaserk(key, out _), Is.True, output);
    }

    [Test]
    public async Task Generate_keys_prints_a_secret_key_for_purpose_public()
    {
        var (exit, output, _) = await RunAsync("generate-keys --purpose public");

        Assert.That(exit, Is.Zero);
        var key = output.Split('\n').Single(l => l.StartsWith("k4.secret.", StringComparison.Ordinal)).Trim();
        Assert.That(AsymmetricSecretKey.TryParsePaserk(key, out _), Is.True);
    }

    [Test]
    public async Task Create_admin_reads_the_password_from_standard_input_and_the_admin_can_log_in()
    {
        var (exit, output, error) = await RunAsync("create-admin --username root_admin --email root@example.test", stdin: "a long admin password");

        Assert.That(exit, Is.Zero, error);
        Assert.That(output, Does.Contain("Created admin 'root_admin'"));
        Assert.That(await ScalarAsync<string>("SELECT role FROM paseto_auth.users WHERE username = 'root_admin'"), Is.EqualTo("admin"));
        var tokens = await Client.LoginOkAsync("root_admin", "a long admin password");
        Assert.That(tokens.AccessToken, Is.Not.Empty);
    }

    [Test]
    public async Task Create_admin_reads_the_password_from_the_environment_and_promotes_an_existing_member()
    {
        await Client.SignupOkAsync("alice");

        var (exit, output, error) = await RunAsync("create-admin --username alice --email alice@example.test",
            environment: new() { ["ADMIN_PASSWORD"] = "ignored for an existing account" });

        Assert.That(exit, Is.Zero, error);
        Assert.That(output, Does.Contain("Promoted 'alice'"));
        Assert.That(await ScalarAsync<string>("SELECT role FROM paseto_auth.users WHERE username = 'alice'"), Is.EqualTo("admin"));
    }

    [Test]
    public async Task Create_admin_refuses_a_weak_password_and_never_prints_it()
    {
        var (exit, output, error) = await RunAsync("create-admin --username root_admin --email root@example.test", stdin: "short");

        Assert.That(exit, Is.Not.Zero);
        Assert.That(error, Does.Contain("password"));
        Assert.That(output + error, Does.Not.Contain("short\n"));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.users"), Is.Zero);
    }

    [Test]
    public async Task Migrate_builds_the_schema_in_an_empty_database()
    {
        var builder = new NpgsqlConnectionStringBuilder(TestPostgres.ServerConnectionString) { Database = "postgres", Pooling = false };
        var name = $"paseto_migrate_{Guid.NewGuid():N}"[..30];
        await using (var connection = new NpgsqlConnection(builder.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        try
        {
            var target = new NpgsqlConnectionStringBuilder(TestPostgres.ServerConnectionString) { Database = name, Pooling = false }.ConnectionString;
            var (exit, output, error) = await RunAsync("migrate", environment: new() { ["ConnectionStrings__Postgres"] = target });

            Assert.That(exit, Is.Zero, error);
            Assert.That(output, Does.Contain("Migrations applied"));
            await using var connection = new NpgsqlConnection(target);
            await connection.OpenAsync();
            await using var check = new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'paseto_auth' AND table_name IN ('users', 'sessions')", connection);
            Assert.That(await check.ExecuteScalarAsync(), Is.EqualTo(2L));
        }
        finally
        {
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
