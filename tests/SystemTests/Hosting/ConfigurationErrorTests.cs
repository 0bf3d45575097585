using System.Text.RegularExpressions;
using Npgsql;
using Paseto.Auth.IntegrationTests.Support;
using Paseto.Auth.SystemTests.Support;

namespace Paseto.Auth.SystemTests.Hosting;

/// <summary>
/// A setting a new user gets wrong stops the real process with exit code 1 and one line on
/// standard error that names the setting and the fix: no stack trace, no abort, and never the
/// setting's value (a database URL holds a password; a key is a secret).
/// </summary>
public sealed partial class ConfigurationErrorTests : ApiTestBase
{
    private const string Serve = "--urls http://127.0.0.1:0";

    private async Task<string> RunUntilRefusedAsync(string arguments, Dictionary<string, string> environment, params string[] secrets)
    {
        var (exit, output, error) = await ApiProcess.RunToExitAsync(arguments, Factory.ConnectionString, environment, timeout: TimeSpan.FromSeconds(30));

        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.That(exit, Is.EqualTo(1), $"stdout:\n{output}\nstderr:\n{error}");
        Assert.That(lines, Has.Length.EqualTo(1), error);
        Assert.That(lines[0], Does.StartWith("Configuration error: "));
        Assert.That(StackTrace().IsMatch(output + error), Is.False, $"no stack trace:\n{output}\n{error}");
        Assert.That(output + error, Does.Not.Contain("Unhandled exception"));
        foreach (var secret in secrets)
        {
            Assert.That(output + error, Does.Not.Contain(secret), "the value is never printed");
        }

        return lines[0];
    }

    [TestCase(Serve)]
    [TestCase("migrate")]
    [TestCase("create-admin --username root_admin --email root@example.test")]
    public async Task No_database_setting_names_both_ways_to_set_one(string arguments)
    {
        var line = await RunUntilRefusedAsync(arguments, new() { ["ConnectionStrings__Postgres"] = "", ["DATABASE_URL"] = "" });

        Assert.That(line, Does.Contain("ConnectionStrings__Postgres").And.Contain("DATABASE_URL"));
    }

    [TestCase("mysql://paseto:hunter2-db-secret@127.0.0.1:5432/paseto_auth")]
    [TestCase("postgresql://paseto:hunter2-db-secret@/paseto_auth")]
    [TestCase("hunter2-db-secret")]
    public async Task An_invalid_database_url_names_the_setting_and_its_form_but_never_the_password(string url)
    {
        var line = await RunUntilRefusedAsync(Serve, new() { ["ConnectionStrings__Postgres"] = "", ["DATABASE_URL"] = url }, "hunter2-db-secret");

        Assert.That(line, Does.Contain("DATABASE_URL").And.Contain("postgresql://user:password@host:5432/database"));
    }

    [Test]
    public async Task An_invalid_connection_string_names_the_setting_but_never_the_password()
    {
        var line = await RunUntilRefusedAsync(Serve, new() { ["ConnectionStrings__Postgres"] = "Host=127.0.0.1;Port=port-hunter2;Password=hunter2-db-secret" },
            "hunter2-db-secret", "port-hunter2");

        Assert.That(line, Does.Contain("ConnectionStrings__Postgres"));
    }

    [TestCase("Paseto__Keys__0")]
    [TestCase("SECRET_KEY")]
    public async Task An_invalid_token_key_names_the_setting_and_the_verb_that_makes_one_but_never_the_key(string setting)
    {
        var key = "k4.local.not-a-key-but-it-may-be-a-secret";

        var line = await RunUntilRefusedAsync(Serve, new() { ["Paseto__Keys__0"] = "", [setting] = key }, "not-a-key-but-it-may-be-a-secret");

        Assert.That(line, Does.Contain("Key 0").And.Contain("Paseto__Keys__0").And.Contain("SECRET_KEY").And.Contain("generate-keys"));
    }

    [Test]
    public async Task Production_without_a_token_key_names_the_settings_and_the_verb_that_makes_one()
    {
        var line = await RunUntilRefusedAsync(Serve, new()
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Paseto__Keys__0"] = "",
            ["REFERER_SECRET"] = "a referer secret",
        });

        Assert.That(line, Does.Contain("Paseto__Keys__0").And.Contain("SECRET_KEY").And.Contain("generate-keys"));
    }

    [Test]
    public async Task Production_without_a_referer_secret_names_REFERER_SECRET()
    {
        var line = await RunUntilRefusedAsync(Serve, new() { ["ASPNETCORE_ENVIRONMENT"] = "Production", ["REFERER_SECRET"] = "", ["Auth__RefererSecret"] = "" });

        Assert.That(line, Does.Contain("REFERER_SECRET"));
    }

    [Test]
    public async Task A_setting_that_is_not_of_its_type_is_named_without_its_value()
    {
        var line = await RunUntilRefusedAsync(Serve, new() { ["Auth__Sessions__MaxActive"] = "many-sessions" }, "many-sessions");

        Assert.That(line, Does.Contain("Auth:Sessions:MaxActive").And.Contain("Auth__Sessions__MaxActive").And.Contain("whole number"));
    }

    [Test]
    public async Task A_setting_its_validation_refuses_is_named()
    {
        var line = await RunUntilRefusedAsync(Serve, new() { ["Auth__Sessions__MaxActive"] = "0" });

        Assert.That(line, Does.Contain("Auth:Sessions:MaxActive must be at least 1"));
    }

    [TestCase("migrate")]
    [TestCase("create-admin --username root_admin --email root@example.test")]
    public async Task A_wrong_database_password_says_the_database_refused_the_credentials_and_never_prints_them(string arguments)
    {
        var wrong = new NpgsqlConnectionStringBuilder(Factory.ConnectionString) { Password = "wrong-hunter2-password" }.ConnectionString;

        var line = await RunUntilRefusedAsync(arguments, new() { ["ConnectionStrings__Postgres"] = wrong, ["ADMIN_PASSWORD"] = "a long admin password" },
            "wrong-hunter2-password", new NpgsqlConnectionStringBuilder(Factory.ConnectionString).Password!);

        Assert.That(line, Does.Contain("refused").And.Contain("ConnectionStrings__Postgres or DATABASE_URL"));
    }

    [Test]
    public async Task Migrate_without_a_database_answering_says_so()
    {
        var line = await RunUntilRefusedAsync("migrate", new() { ["ConnectionStrings__Postgres"] = "Host=127.0.0.1;Port=1;Database=none;Username=none;Password=hunter2-db-secret;Timeout=2" },
            "hunter2-db-secret");

        Assert.That(line, Does.Contain("does not answer").And.Contain("ConnectionStrings__Postgres or DATABASE_URL"));
    }

    /// <summary>A .NET stack frame, in plain text or inside a JSON log line.</summary>
    [GeneratedRegex(@"(^|\n|\\n)\s*at [\w.`<>|$]+[.(]", RegexOptions.Multiline)]
    private static partial Regex StackTrace();
}
