using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Foundation;

/// <summary>
/// Every flow, logged at Debug in every category (framework, EF Core, Npgsql included): no line may
/// hold a password, token, refresh or device token, hash, key or the referer secret.
/// </summary>
public sealed class LogSecretTests : ApiTestBase
{
    private const string NewPassword = "an entirely new passphrase";
    private const string DeviceToken = "device-token-7f3a9c2e41";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Debug",
        ["Logging:LogLevel:Microsoft"] = "Debug",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Debug",
        ["Logging:LogLevel:Npgsql"] = "Debug",
    };

    [Test]
    public async Task No_log_line_at_debug_holds_a_secret()
    {
        var logs = new CapturingLoggerProvider();
        await using var factory = Factory.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs)));
        using var client = factory.CreateClient();
        var secrets = new List<string> { ApiClientExtensions.Password, NewPassword, ApiClientExtensions.RefererSecret, TestKeys.Local, TestKeys.Local["k4.local.".Length..], "$argon2id$" };

        await client.SignupOkAsync("alice");
        await client.SignupOkAsync("admin");
        await ScalarAsync<int>("UPDATE paseto_auth.users SET role = 'admin' WHERE username = 'admin'");
        var admin = await client.LoginOkAsync("admin");
        var alice = await client.LoginOkAsync("alice", deviceToken: DeviceToken);
        var form = await client.PostAsync("/v1/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["username"] = "alice",
            ["password"] = ApiClientExtensions.Password,
        }));
        var formTokens = await ApiClientExtensions.ReadTokensAsync(form);
        secrets.AddRange([admin.AccessToken, admin.RefreshToken, alice.AccessToken, alice.RefreshToken, DeviceToken, formTokens.AccessToken, formTokens.RefreshToken]);
        secrets.AddRange(await HashesAsync());

        await client.LoginAsync("alice", "a wrong password entirely");
        await client.LoginAsync("nobody-here", ApiClientExtensions.Password);
        var refreshed = await client.PostAsJsonAsync("/v1/token/refresh", new { refresh_token = alice.RefreshToken });
        var pair = await ApiClientExtensions.ReadTokensAsync(refreshed);
        secrets.AddRange([pair.AccessToken, pair.RefreshToken]);
        await client.PostAsJsonAsync("/v1/token/refresh", new { refresh_token = alice.RefreshToken });
        var bob = await client.MemberAsync("bob");
        secrets.AddRange([bob.AccessToken, bob.RefreshToken]);
        await client.GetAsync("/v1/users/me", bob.AccessToken);
        await client.GetAsync("/v1/users/alice", bob.AccessToken);
        await client.GetAsync("/v1/users/me", bob.AccessToken[..^4] + "AAAA");
        await client.SendAsync(HttpMethod.Patch, "/v1/users/me", bob.AccessToken, new { email = "bob2@example.test", current_password = ApiClientExtensions.Password });
        await client.GetAsync("/v1/sessions", bob.AccessToken);
        await client.GetAsync("/v1/users/me/events", bob.AccessToken);
        await client.GetAsync("/v1/keys");
        await client.GetAsync("/v1/users?limit=10&q=a", admin.AccessToken);
        await client.SendAsync(HttpMethod.Patch, "/v1/users/alice", admin.AccessToken, new { role = "member", is_active = true });
        await client.GetAsync("/v1/users/alice/events", admin.AccessToken);
        await client.SendAsync(HttpMethod.Delete, $"/v1/sessions/{formTokens.SessionId}", formTokens.AccessToken);
        await client.SendAsync(HttpMethod.Delete, "/v1/sessions", admin.AccessToken);
        var changed = await client.SendAsync(HttpMethod.Put, "/v1/users/me/password", bob.AccessToken,
            new { current_password = ApiClientExtensions.Password, new_password = NewPassword });
        Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        var bob2 = await client.LoginOkAsync("bob", NewPassword);
        secrets.AddRange([bob2.AccessToken, bob2.RefreshToken]);
        secrets.AddRange(await HashesAsync());
        await client.SendAsync(HttpMethod.Post, "/v1/logout", admin.AccessToken);
        await client.SendAsync(HttpMethod.Post, "/v1/users/me/deactivate", bob2.AccessToken, new { password = NewPassword });

        var lines = logs.Lines.Select(l => $"{l.Category}: {l.Message}").ToList();
        Assert.That(lines.Count(l => l.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal)), Is.Positive, "EF Core logged at Debug");
        var leaks = lines.SelectMany(line => secrets.Where(s => line.Contains(s, StringComparison.Ordinal)).Select(s => $"{Mask(s)} in: {line}")).ToList();
        Assert.That(leaks, Is.Empty);
    }

    private static string Mask(string secret) => secret.Length <= 8 ? "a short secret" : secret[..6] + "…";

    private async Task<List<string>> HashesAsync()
    {
        var found = new List<string>();
        await using var command = Database.CreateCommand("""
            SELECT password FROM paseto_auth.users
            UNION ALL SELECT encode(refresh_token_hash, 'hex') FROM paseto_auth.sessions
            UNION ALL SELECT encode(refresh_token_hash, 'base64') FROM paseto_auth.sessions
            """);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            found.Add(reader.GetString(0));
        }

        return found;
    }
}
