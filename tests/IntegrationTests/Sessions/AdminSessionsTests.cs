using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Sessions;

/// <summary><c>GET</c> and <c>DELETE /v1/users/{username}/sessions</c>: an admin sees and ends a user's sessions.</summary>
public sealed class AdminSessionsTests : ApiTestBase
{
    [Test]
    public async Task An_admin_lists_a_users_active_sessions_newest_first()
    {
        var admin = await SignupAdminAsync("root");
        var first = await Client.MemberAsync("alice");
        var second = await Client.LoginOkAsync("alice");
        await Client.SendAsync(HttpMethod.Post, "/v1/logout", first.AccessToken);

        var response = await Client.GetAsync("/v1/users/alice/sessions", admin.AccessToken);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var items = body.GetProperty("items").EnumerateArray().ToList();
        Assert.That(items.Select(i => i.GetProperty("id").GetGuid()), Is.EqualTo(new[] { second.SessionId }), "the ended session is not listed");
        Assert.That(items[0].GetProperty("current").GetBoolean(), Is.False, "current marks the admin's own session only");
        Assert.That(body.GetProperty("devices").GetArrayLength(), Is.EqualTo(2), "each login without a device token registered one");
    }

    [Test]
    public async Task Ending_a_users_sessions_stops_their_tokens_at_once_and_is_in_their_history()
    {
        var admin = await SignupAdminAsync("root");
        var first = await Client.MemberAsync("alice");
        var second = await Client.LoginOkAsync("alice");
        var bob = await Client.MemberAsync("bob");

        var response = await Client.SendAsync(HttpMethod.Delete, "/v1/users/alice/sessions", admin.AccessToken);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.Multiple(async () =>
        {
            foreach (var tokens in new[] { first, second })
            {
                Assert.That((await Client.GetAsync("/v1/users/me", tokens.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
                Assert.That((await Client.PostAsJsonAsync("/v1/token/refresh", new { refresh_token = tokens.RefreshToken })).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            }

            Assert.That((await Client.GetAsync("/v1/users/me", bob.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.OK), "another user keeps theirs");
            Assert.That((await Client.GetAsync("/v1/users/me", admin.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.sessions s JOIN paseto_auth.users u ON u.id = s.user_id WHERE u.username = 'alice' AND s.revoke_reason = 'revoked_by_admin'"), Is.EqualTo(2));

        var history = await Client.GetAsync("/v1/users/alice/events?type=sessions_revoked_by_admin", admin.AccessToken);
        var events = (await history.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray().ToList();
        Assert.That(events, Has.Count.EqualTo(1));
        Assert.That(events[0].GetProperty("details").GetProperty("count").GetInt32(), Is.EqualTo(2));
        Assert.That(events[0].GetProperty("details").GetProperty("by").GetString(), Is.EqualTo("root"));
        var own = await Client.LoginOkAsync("alice");
        var seenByAlice = await Client.GetAsync("/v1/users/me/events?type=session_revoked", own.AccessToken);
        Assert.That((await seenByAlice.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").GetArrayLength(), Is.EqualTo(2), "each session's end is in the user's own history");
    }

    [Test]
    public async Task A_member_is_refused_and_nothing_ends()
    {
        var alice = await Client.MemberAsync("alice");
        var mallory = await Client.MemberAsync("mallory");

        var list = await Client.GetAsync("/v1/users/alice/sessions", mallory.AccessToken);
        var end = await Client.SendAsync(HttpMethod.Delete, "/v1/users/alice/sessions", mallory.AccessToken);
        var own = await Client.SendAsync(HttpMethod.Delete, "/v1/users/mallory/sessions", mallory.AccessToken);

        await list.AssertProblemAsync(HttpStatusCode.Forbidden);
        await end.AssertProblemAsync(HttpStatusCode.Forbidden);
        await own.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.That((await Client.GetAsync("/v1/users/me", alice.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.sessions WHERE revoked_at IS NOT NULL"), Is.Zero);
    }

    [Test]
    public async Task Without_a_token_it_is_401()
    {
        var response = await Client.DeleteAsync("/v1/users/alice/sessions");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [TestCase("nobody")]
    [TestCase("%20")]
    [TestCase("%C3%A9l%C3%A8ve")]
    public async Task An_unknown_user_is_404_and_nothing_is_recorded(string username)
    {
        var admin = await SignupAdminAsync("root");

        var list = await Client.GetAsync($"/v1/users/{username}/sessions", admin.AccessToken);
        var end = await Client.SendAsync(HttpMethod.Delete, $"/v1/users/{username}/sessions", admin.AccessToken);

        await list.AssertProblemAsync(HttpStatusCode.NotFound);
        await end.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.security_events WHERE type = 'sessions_revoked_by_admin'"), Is.Zero);
    }

    [Test]
    public async Task Ending_sessions_while_the_user_logs_in_leaves_no_session_started_before_the_end_alive()
    {
        var admin = await SignupAdminAsync("root");
        await Client.SignupOkAsync("alice");
        var before = await Client.LoginOkAsync("alice");

        // Logins from addresses of their own: the throttle counts an attempt in flight as a failure.
        var logins = Enumerable.Range(1, 6).Select(i => Client.LoginFromAsync($"192.0.2.{i}", "alice")).ToList();
        var ends = Enumerable.Range(0, 3).Select(_ => Client.SendAsync(HttpMethod.Delete, "/v1/users/alice/sessions", admin.AccessToken)).ToList();
        await Task.WhenAll(logins.Concat(ends));

        Assert.That(ends.Select(e => e.Result.StatusCode), Has.All.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await Client.GetAsync("/v1/users/me", before.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var revokedByAdmin = await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.sessions WHERE revoke_reason = 'revoked_by_admin'");
        var counted = await ScalarAsync<long>("SELECT coalesce(sum((details->>'count')::int), 0) FROM paseto_auth.security_events WHERE type = 'sessions_revoked_by_admin'");
        Assert.That(counted, Is.EqualTo(revokedByAdmin), "every revoked session is counted by exactly one of the ends");
    }
}
