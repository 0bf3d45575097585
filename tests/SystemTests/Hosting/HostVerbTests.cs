using Npgsql;
using Paseto.Auth.IntegrationTests.Support;
using Paseto.Auth.Paseto;
using Paseto.Auth.SystemTests.Support;

namespace Paseto.Auth.SystemTests.Hosting;

/// <summary>The host's command-line verbs, run as the real process.</summary>
public sealed class HostVerbTests : ApiTestBase
{
    private Task<(int ExitCode, string Output, string Error)> RunAsync(
        string arguments, string? stdin = null, Dictionary<string, string>? environment = null, TimeSpan? timeout = null) =>
        ApiProcess.RunToExitAsync(arguments, Factory.ConnectionString, environment, stdin, timeout);

    [TestCase("--help")]
    [TestCase("-h")]
    [TestCase("help")]
    public async Task Help_lists_every_verb_with_its_options_and_exits_0_without_a_database_or_keys(string help)
    {
        var (exit, output, error) = await RunAsync(help, environment: new()
        {
            ["ConnectionStrings__Postgres"] = "",
            ["Paseto__Keys__0"] = "",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        });

        Assert.That(exit, Is.Zero, error);
        Assert.That(error, Is.Empty);
        Assert.That(output, Does.Contain("migrate")
            .And.Contain("generate-keys").And.Contain("--purpose local|public")
            .And.Contain("create-admin").And.Contain("--username").And.Contain("--email").And.Contain("--firstname")
            .And.Contain("--urls").And.Contain("ADMIN_PASSWORD"));
    }

    [TestCase("create-admin --help")]
    [TestCase("help create-admin")]
    public async Task Help_for_a_verb_prints_its_usage_and_does_nothing_else(string arguments)
    {
        var (exit, output, error) = await RunAsync(arguments, stdin: "a long admin password");

        Assert.That(exit, Is.Zero, error);
        Assert.That(output, Does.Contain("create-admin --username NAME --email EMAIL"));
        Assert.That(output, Does.Not.Contain("generate-keys"), "the usage of that verb only");
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.users"), Is.Zero);
    }

    [TestCase("migrte", "migrate")]
    [TestCase("generate-key", "generate-keys")]
    [TestCase("create_admin", "create-admin")]
    public async Task An_unknown_verb_exits_2_with_a_suggestion_and_the_usage_and_starts_no_server(string typo, string meant)
    {
        var port = LoopbackPort.Free();

        var (exit, output, error) = await RunAsync($"{typo} --urls http://127.0.0.1:{port}", timeout: TimeSpan.FromSeconds(20));

        Assert.That(exit, Is.EqualTo(2), output);
        Assert.That(error.Split('\n')[0], Is.EqualTo($"Unknown verb '{typo}'. Did you mean '{meant}'?"));
        Assert.That(error, Does.Contain("generate-keys").And.Contain("create-admin"), "the usage follows");
        Assert.That(output, Does.Not.Contain("Now listening"));
    }

    [Test]
    public async Task An_unknown_verb_without_a_near_verb_gets_no_suggestion()
    {
        var (exit, _, error) = await RunAsync("serve", timeout: TimeSpan.FromSeconds(20));

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error.Split('\n')[0], Is.EqualTo("Unknown verb 'serve'."));
    }

    [Test]
    public async Task Generate_keys_prints_only_a_local_paserk_key_on_standard_output_without_a_database()
    {
        var (exit, output, error) = await RunAsync("generate-keys", environment: new() { ["ConnectionStrings__Postgres"] = "" });

        Assert.That(exit, Is.Zero, error);
        Assert.That(output, Does.EndWith("\n").And.Not.Contain(' '), "one line, so SECRET_KEY=$(… generate-keys) is the key");
        Assert.That(SymmetricKey.TryParsePaserk(output.TrimEnd('\n'), out var key), Is.True, output);
        Assert.That(error, Does.Contain("purpose local").And.Contain(key!.Id), "the comment goes to standard error");
    }

    [Test]
    public async Task Generate_keys_prints_only_a_secret_key_for_purpose_public_and_its_public_key_on_standard_error()
    {
        var (exit, output, error) = await RunAsync("generate-keys --purpose public");

        Assert.That(exit, Is.Zero, error);
        Assert.That(output, Does.EndWith("\n").And.Not.Contain(' '));
        Assert.That(AsymmetricSecretKey.TryParsePaserk(output.TrimEnd('\n'), out var key), Is.True, output);
        Assert.That(error, Does.Contain("purpose public").And.Contain(key!.PublicKey.Id).And.Contain(key.PublicKey.ToPaserk()));
    }

    [Test]
    public async Task Create_admin_reads_the_password_from_standard_input_and_the_admin_can_log_in()
    {
        var (exit, output, error) = await RunAsync("create-admin --username root_admin --email root@example.test", stdin: "a long admin password");

        Assert.That(exit, Is.Zero, error);
        Assert.That(output, Does.Contain("Created admin 'root_admin'"));
        Assert.That(output, Does.Contain("Admin endpoints need a second factor"), "the default Auth:Mfa:RequiredForRoles");
        Assert.That(await ScalarAsync<string>("SELECT role FROM paseto_auth.users WHERE username = 'root_admin'"), Is.EqualTo("admin"));
        var tokens = await Client.LoginOkAsync("root_admin", "a long admin password");
        Assert.That(tokens.AccessToken, Is.Not.Empty);
    }

    [Test]
    public async Task Create_admin_promotes_an_existing_member_and_says_the_password_it_was_given_is_not_used()
    {
        await Client.SignupOkAsync("alice");

        var (exit, output, error) = await RunAsync("create-admin --username alice --email ALICE@example.test",
            environment: new() { ["ADMIN_PASSWORD"] = "another long admin password" });

        Assert.That(exit, Is.Zero, error);
        Assert.That(output, Does.Contain("Promoted 'alice'").And.Contain("from member to admin"));
        Assert.That(output, Does.Contain("The password was not changed"));
        Assert.That(await ScalarAsync<string>("SELECT role FROM paseto_auth.users WHERE username = 'alice'"), Is.EqualTo("admin"));
        Assert.That((await Client.LoginAsync("alice")).StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK), "the old password still works");
        Assert.That((await Client.LoginAsync("alice", "another long admin password")).StatusCode, Is.EqualTo(System.Net.HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Create_admin_does_not_wait_for_a_password_an_existing_account_does_not_need()
    {
        await Client.SignupOkAsync("alice");

        var (exit, output, error) = await ApiProcess.RunToExitAsync("create-admin --username alice --email alice@example.test",
            Factory.ConnectionString, timeout: TimeSpan.FromSeconds(20), keepStandardInputOpen: true);

        Assert.That(exit, Is.Zero, error);
        Assert.That(output, Does.Contain("Promoted 'alice'"));
    }

    [Test]
    public async Task Create_admin_refuses_an_existing_account_whose_email_differs_and_changes_nothing()
    {
        await Client.SignupOkAsync("alice");
        var events = await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.security_events");

        var (exit, output, error) = await RunAsync("create-admin --username alice --email mallory@example.test", stdin: "a long admin password");

        Assert.That(exit, Is.EqualTo(1), output);
        Assert.That(error, Does.Contain("'alice'").And.Contain("another email"));
        Assert.That(error, Does.Not.Contain("alice@example.test"), "the account's email is not told");
        Assert.That(await ScalarAsync<string>("SELECT role FROM paseto_auth.users WHERE username = 'alice'"), Is.EqualTo("member"));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.security_events"), Is.EqualTo(events));
    }

    [Test]
    public async Task Create_admin_on_an_admin_says_it_already_is_one_and_changes_nothing()
    {
        var create = await RunAsync("create-admin --username root_admin --email root@example.test", stdin: "a long admin password");
        Assert.That(create.ExitCode, Is.Zero, create.Error);
        var events = await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.security_events");
        var updated = await ScalarAsync<DateTime>("SELECT updated_at FROM paseto_auth.users WHERE username = 'root_admin'");

        var (exit, output, error) = await RunAsync("create-admin --username root_admin --email root@example.test", stdin: "a long admin password");

        Assert.That(exit, Is.Zero, error);
        Assert.That(output, Does.Contain("'root_admin'").And.Contain("already is an admin").And.Contain("The password was not changed"));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.security_events"), Is.EqualTo(events), "no role_changed from admin to admin");
        Assert.That(await ScalarAsync<DateTime>("SELECT updated_at FROM paseto_auth.users WHERE username = 'root_admin'"), Is.EqualTo(updated));
    }

    [Test]
    public async Task Create_admin_with_reset_password_replaces_it_revokes_the_sessions_and_says_so()
    {
        var tokens = await Client.MemberAsync("alice");
        var stamp = await ScalarAsync<Guid>("SELECT credential_stamp FROM paseto_auth.users");

        var (exit, output, error) = await RunAsync("create-admin --username alice --email alice@example.test --reset-password",
            environment: new() { ["ADMIN_PASSWORD"] = "another long admin password" });

        Assert.That(exit, Is.Zero, error);
        Assert.That(output, Does.Contain("Promoted 'alice'").And.Contain("The password was replaced").And.Contain("1 session revoked"));
        Assert.That((await Client.GetAsync("/v1/users/me", tokens.AccessToken)).StatusCode, Is.EqualTo(System.Net.HttpStatusCode.Unauthorized));
        Assert.That((await Client.LoginAsync("alice")).StatusCode, Is.EqualTo(System.Net.HttpStatusCode.Unauthorized), "the old password is gone");
        Assert.That((await Client.LoginAsync("alice", "another long admin password")).StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK));
        Assert.That(await ScalarAsync<string>(
            "SELECT details->>'by' FROM paseto_auth.security_events WHERE type = 'password_changed'"), Is.EqualTo("create-admin"));
        Assert.That(await ScalarAsync<Guid>("SELECT credential_stamp FROM paseto_auth.users"), Is.Not.EqualTo(stamp),
            "a new credential, so a login that verified the old password starts no session");
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

    [TestCase("Testing")]
    [TestCase("Production")]
    public async Task The_first_migrate_on_an_empty_database_logs_no_failure_and_no_sql(string environment)
    {
        var empty = await TestPostgres.CreateEmptyDatabaseAsync();

        var (exit, output, error) = await RunAsync("migrate", environment: new() { ["ConnectionStrings__Postgres"] = empty, ["ASPNETCORE_ENVIRONMENT"] = environment });

        Assert.That(exit, Is.Zero, error);
        Assert.That(output, Does.Contain("Migrations applied"));
        var logged = output + error;
        Assert.That(logged, Does.Not.Match(@"(?m)^(fail|warn|crit): |""LogLevel"":""(Error|Warning|Critical)"""), logged);
        Assert.That(logged, Does.Not.Contain("SELECT").And.Not.Contain("CREATE").And.Not.Contain("__ef_migrations_history"), "no SQL text");
        await using var connection = new NpgsqlConnection(empty);
        await connection.OpenAsync();
        await using var check = new NpgsqlCommand("SELECT count(*) FROM paseto_auth.__ef_migrations_history", connection);
        Assert.That(await check.ExecuteScalarAsync(), Is.Positive);
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
