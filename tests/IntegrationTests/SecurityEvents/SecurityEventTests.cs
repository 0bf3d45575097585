using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Paseto.Auth.Infrastructure.Persistence;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.SecurityEvents;

public sealed class SecurityEventTests : ApiTestBase
{
    private sealed record Row(string Type, Guid? SessionId, string? Ip, JsonElement Details);

    private async Task<List<Row>> EventsOfAsync(string username)
    {
        await using var command = Database.CreateCommand("""
            SELECT e.type, e.session_id, host(e.ip), e.details::text FROM paseto_auth.security_events e
            JOIN paseto_auth.users u ON u.id = e.user_id WHERE u.username = $1 ORDER BY e.id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = username });
        var rows = new List<Row>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new Row(
                reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetGuid(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                JsonSerializer.Deserialize<JsonElement>(reader.GetString(3))));
        }

        return rows;
    }

    private static string[] Types(IEnumerable<Row> rows) => [.. rows.Select(r => r.Type)];

    [Test]
    public async Task Signup_and_login_write_their_events_with_the_client_address()
    {
        var tokens = await Client.MemberAsync("alice");

        var rows = await EventsOfAsync("alice");

        Assert.That(Types(rows), Is.EqualTo(new[] { "signup", "login_succeeded" }));
        Assert.That(rows[1].SessionId, Is.EqualTo(tokens.SessionId));
        Assert.That(rows[1].Ip, Is.EqualTo("127.0.0.1"));
    }

    [Test]
    public async Task A_failed_login_is_recorded_for_its_account_and_one_on_an_unknown_name_for_no_one_without_the_name()
    {
        await Client.SignupOkAsync("alice");

        await Client.LoginAsync("alice", "wrong password here");
        await Client.LoginAsync("nobody.at.all", "wrong password here");

        var rows = await EventsOfAsync("alice");
        Assert.That(Types(rows), Is.EqualTo(new[] { "signup", "login_failed" }));
        Assert.That(rows[1].Details.GetProperty("reason").GetString(), Is.EqualTo("wrong_password"));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.security_events"), Is.EqualTo(3));
        var unknown = await ScalarAsync<string>("SELECT row_to_json(e)::text FROM paseto_auth.security_events e WHERE user_id IS NULL");
        Assert.That(unknown, Does.Contain("\"type\":\"login_failed\"").And.Contain("unknown_account"));
        Assert.That(unknown, Does.Not.Contain("nobody").And.Not.Contain("wrong password"), "neither the name nor the password is kept");
    }

    [Test]
    public async Task Refresh_reuse_writes_the_detection_and_the_revocation()
    {
        var tokens = await Client.MemberAsync("alice");
        await Client.PostAsJsonAsync("/v1/token/refresh", new { refresh_token = tokens.RefreshToken });

        await Client.PostAsJsonAsync("/v1/token/refresh", new { refresh_token = tokens.RefreshToken });

        var rows = await EventsOfAsync("alice");
        Assert.That(Types(rows), Is.EqualTo(new[] { "signup", "login_succeeded", "refresh_reuse_detected", "session_revoked" }));
        Assert.That(rows[3].Details.GetProperty("by").GetString(), Is.EqualTo("reuse"));
        Assert.That(rows[3].SessionId, Is.EqualTo(tokens.SessionId));
    }

    [Test]
    public async Task Logout_and_session_revocations_say_who_ended_the_session()
    {
        await using var factory = Factory.WithWebHostBuilder(b => b.UseSetting("Auth:Sessions:MaxActive", "2"));
        using var client = factory.CreateClient();
        var first = await client.MemberAsync("alice");
        var second = await client.LoginOkAsync("alice");
        var third = await client.LoginOkAsync("alice");

        await client.SendAsync(HttpMethod.Delete, $"/v1/sessions/{second.SessionId}", third.AccessToken);
        await client.SendAsync(HttpMethod.Post, "/v1/logout", third.AccessToken);

        var revoked = (await EventsOfAsync("alice")).Where(r => r.Type is "session_revoked" or "logout").ToList();
        Assert.That(revoked.Select(r => (r.Type, r.SessionId, r.Details.TryGetProperty("by", out var by) ? by.GetString() : null)), Is.EqualTo(new[]
        {
            ("session_revoked", (Guid?)first.SessionId, (string?)"limit"),
            ("session_revoked", (Guid?)second.SessionId, (string?)"self"),
            ("logout", (Guid?)third.SessionId, (string?)null),
        }));
    }

    [Test]
    public async Task A_password_change_records_itself_and_each_session_it_ended()
    {
        var current = await Client.MemberAsync("alice");
        var other = await Client.LoginOkAsync("alice", deviceToken: current.DeviceToken);

        await Client.SendAsync(HttpMethod.Put, "/v1/users/me/password", current.AccessToken,
            new { current_password = ApiClientExtensions.Password, new_password = "a different long passphrase" });

        var rows = (await EventsOfAsync("alice")).Skip(3).ToList();
        Assert.That(Types(rows), Is.EqualTo(new[] { "password_changed", "session_revoked" }));
        Assert.That(rows[1].SessionId, Is.EqualTo(other.SessionId));
        Assert.That(rows[1].Details.GetProperty("by").GetString(), Is.EqualTo("password_change"));
    }

    [Test]
    public async Task Email_and_username_changes_record_old_and_new_with_emails_masked()
    {
        var tokens = await Client.MemberAsync("alice");

        await Client.SendAsync(HttpMethod.Patch, "/v1/users/me", tokens.AccessToken,
            new { username = "alicia", email = "alicia@example.org", current_password = ApiClientExtensions.Password });

        var rows = await EventsOfAsync("alicia");
        var username = rows.Single(r => r.Type == "username_changed").Details;
        // Another mailbox waits for its link (DESIGN §8): the request is what is recorded now.
        var email = rows.Single(r => r.Type == "email_change_requested").Details;
        Assert.Multiple(() =>
        {
            Assert.That(username.GetProperty("old").GetString(), Is.EqualTo("alice"));
            Assert.That(username.GetProperty("new").GetString(), Is.EqualTo("alicia"));
            Assert.That(email.GetProperty("old").GetString(), Is.EqualTo("a***@example.test"));
            Assert.That(email.GetProperty("new").GetString(), Is.EqualTo("a***@example.org"));
        });
    }

    [Test]
    public async Task Admin_changes_record_role_deactivation_revocation_and_reactivation()
    {
        var admin = await SignupAdminAsync("root");
        var alice = await Client.MemberAsync("alice");

        await Client.SendAsync(HttpMethod.Patch, "/v1/users/alice", admin.AccessToken, new { role = "admin" });
        await Client.SendAsync(HttpMethod.Patch, "/v1/users/alice", admin.AccessToken, new { is_active = false });
        await Client.SendAsync(HttpMethod.Patch, "/v1/users/alice", admin.AccessToken, new { is_active = true });

        var rows = (await EventsOfAsync("alice")).Skip(2).ToList();
        Assert.That(Types(rows), Is.EqualTo(new[] { "role_changed", "account_deactivated", "session_revoked", "account_reactivated" }));
        Assert.Multiple(() =>
        {
            Assert.That(rows[0].Details.GetProperty("old").GetString(), Is.EqualTo("member"));
            Assert.That(rows[0].Details.GetProperty("new").GetString(), Is.EqualTo("admin"));
            Assert.That(rows[0].Details.GetProperty("by").GetString(), Is.EqualTo("root"));
            Assert.That(rows[2].SessionId, Is.EqualTo(alice.SessionId));
            Assert.That(rows[2].Details.GetProperty("by").GetString(), Is.EqualTo("admin"));
        });
    }

    [Test]
    public async Task Self_deactivation_records_itself()
    {
        var tokens = await Client.MemberAsync("alice");

        await Client.SendAsync(HttpMethod.Post, "/v1/users/me/deactivate", tokens.AccessToken, new { password = ApiClientExtensions.Password });

        var rows = (await EventsOfAsync("alice")).Skip(2).ToList();
        Assert.That(Types(rows), Is.EqualTo(new[] { "account_deactivated", "session_revoked" }));
        Assert.That(rows[0].Details.GetProperty("by").GetString(), Is.EqualTo("self"));
    }

    [Test]
    public async Task A_change_that_fails_writes_no_event()
    {
        await Client.SignupOkAsync("bob");
        var alice = await Client.MemberAsync("alice");
        var before = await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.security_events");

        var taken = await Client.SendAsync(HttpMethod.Patch, "/v1/users/me", alice.AccessToken, new { username = "bob", current_password = ApiClientExtensions.Password });
        var duplicate = await Client.SignupAsync("ALICE");

        Assert.That(taken.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(duplicate.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.security_events"), Is.EqualTo(before));
    }

    [Test]
    public async Task My_events_come_newest_first_in_pages_and_filter_by_type()
    {
        var tokens = await Client.MemberAsync("alice");
        await Client.LoginOkAsync("alice", deviceToken: tokens.DeviceToken);
        await Client.LoginAsync("alice", "wrong password here");

        var first = await (await Client.GetAsync("/v1/users/me/events?limit=2", tokens.AccessToken)).Content.ReadFromJsonAsync<JsonElement>();
        var cursor = first.GetProperty("next_cursor").GetString();
        var second = await (await Client.GetAsync($"/v1/users/me/events?limit=2&cursor={cursor}", tokens.AccessToken)).Content.ReadFromJsonAsync<JsonElement>();
        var failed = await (await Client.GetAsync("/v1/users/me/events?type=login_failed", tokens.AccessToken)).Content.ReadFromJsonAsync<JsonElement>();

        string[] TypesOf(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("type").GetString()!)];
        Assert.That(TypesOf(first), Is.EqualTo(new[] { "login_failed", "login_succeeded" }));
        Assert.That(TypesOf(second), Is.EqualTo(new[] { "login_succeeded", "signup" }));
        Assert.That(second.GetProperty("next_cursor").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(TypesOf(failed), Is.EqualTo(new[] { "login_failed" }));
        var item = first.GetProperty("items")[1];
        Assert.That(item.GetProperty("details").ValueKind, Is.EqualTo(JsonValueKind.Object));
        Assert.That(item.GetProperty("ip").GetString(), Is.EqualTo("127.0.0.1"));
    }

    [Test]
    public async Task Paging_is_stable_while_new_events_arrive()
    {
        var tokens = await Client.MemberAsync("alice");
        for (var i = 0; i < 4; i++)
        {
            await Client.LoginAsync("alice", "wrong password here");
        }

        var seen = new List<long>();
        string? cursor = null;
        do
        {
            var page = await (await Client.GetAsync($"/v1/users/me/events?limit=2{(cursor is null ? "" : "&cursor=" + cursor)}", tokens.AccessToken))
                .Content.ReadFromJsonAsync<JsonElement>();
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
            cursor = page.GetProperty("next_cursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next_cursor").GetString();
            await Client.LoginAsync("alice", "wrong password here");
        }
        while (cursor is not null);

        Assert.That(seen, Is.Unique);
        Assert.That(seen, Is.Ordered.Descending);
        Assert.That(seen, Has.Count.EqualTo(6), "the six events that existed when paging began, each once");
    }

    [TestCase("?type=nonsense")]
    [TestCase("?limit=0")]
    [TestCase("?cursor=%25%25")]
    public async Task Bad_event_queries_are_a_400(string query)
    {
        var tokens = await Client.MemberAsync("alice");

        await (await Client.GetAsync($"/v1/users/me/events{query}", tokens.AccessToken)).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task Members_cannot_read_others_events_but_admins_can()
    {
        await Client.MemberAsync("bob");
        var alice = await Client.MemberAsync("alice");
        var admin = await SignupAdminAsync("root");

        await (await Client.GetAsync("/v1/users/bob/events", alice.AccessToken)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.That((await Client.GetAsync("/v1/users/alice/events", alice.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var bobs = await (await Client.GetAsync("/v1/users/bob/events", admin.AccessToken)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(bobs.GetProperty("items").GetArrayLength(), Is.EqualTo(2));
        await (await Client.GetAsync("/v1/users/nobody/events", admin.AccessToken)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Retention_removes_old_events_and_keeps_recent_ones()
    {
        await Client.MemberAsync("alice");
        await ScalarAsync<int>("INSERT INTO paseto_auth.security_events (user_id, type, at, details) SELECT id, 'login_failed', now() - interval '181 days', '{}' FROM paseto_auth.users");

        await Factory.Services.GetRequiredService<RetentionCleanup>().RunOnceAsync(CancellationToken.None);

        Assert.That(Types(await EventsOfAsync("alice")), Is.EqualTo(new[] { "signup", "login_succeeded" }));
    }

    [Test]
    public async Task Events_cannot_be_rewritten()
    {
        await Client.MemberAsync("alice");

        var error = Assert.ThrowsAsync<PostgresException>(() => ScalarAsync<int>("UPDATE paseto_auth.security_events SET type = 'logout'"));

        Assert.That(error!.MessageText, Does.Contain("append-only"));
    }

    [Test]
    public async Task Each_event_is_one_structured_log_line_without_secrets()
    {
        var logs = new CapturingLoggerProvider();
        await using var factory = Factory.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs)));
        using var client = factory.CreateClient();
        var tokens = await client.MemberAsync("alice");
        await client.SendAsync(HttpMethod.Post, "/v1/logout", tokens.AccessToken);

        var lines = logs.Lines.Where(l => l.EventId.Id == 1000).Select(l => l.Message).ToList();

        Assert.That(lines, Has.Count.EqualTo(3));
        Assert.That(lines[0], Does.StartWith("Security event signup"));
        Assert.That(lines[1], Does.StartWith("Security event login_succeeded"));
        Assert.That(lines[2], Does.StartWith("Security event logout"));
        var all = string.Join("\n", logs.Lines.Select(l => l.Message));
        Assert.That(all, Does.Not.Contain(ApiClientExtensions.Password).And.Not.Contain(tokens.AccessToken)
            .And.Not.Contain(tokens.RefreshToken).And.Not.Contain("$argon2id$").And.Not.Contain(ApiClientExtensions.RefererSecret));
    }
}
