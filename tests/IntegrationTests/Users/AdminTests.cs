using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Users;

public sealed class AdminTests : ApiTestBase
{
    private async Task<JsonElement> PageAsync(string accessToken, string query)
    {
        var response = await Client.GetAsync($"/v1/users{query}", accessToken);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static string[] Usernames(JsonElement page) =>
        [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("username").GetString()!)];

    [Test]
    public async Task A_member_calling_admin_endpoints_gets_403()
    {
        var member = await Client.MemberAsync("alice");

        await (await Client.GetAsync("/v1/users", member.AccessToken)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await Client.SendAsync(HttpMethod.Patch, "/v1/users/alice", member.AccessToken, new { role = "admin" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.That(await ScalarAsync<string>("SELECT role FROM paseto_auth.users"), Is.EqualTo("member"));
    }

    [Test]
    public async Task Admin_endpoints_without_a_token_are_401()
    {
        await (await Client.GetAsync("/v1/users")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task The_user_list_pages_by_id_without_duplicates_or_gaps()
    {
        var admin = await SignupAdminAsync("root");
        foreach (var name in new[] { "user1", "user2", "user3", "user4" })
        {
            await Client.SignupOkAsync(name);
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await PageAsync(admin.AccessToken, cursor is null ? "?limit=2" : $"?limit=2&cursor={cursor}");
            seen.AddRange(Usernames(page));
            cursor = page.GetProperty("next_cursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);

        Assert.That(seen, Is.EqualTo(new[] { "root", "user1", "user2", "user3", "user4" }));
    }

    [Test]
    public async Task The_q_filter_matches_a_username_or_email_prefix_case_insensitively()
    {
        var admin = await SignupAdminAsync("root");
        await Client.SignupOkAsync("alice", email: "alice@example.test");
        await Client.SignupOkAsync("alfred", email: "fred@example.test");
        await Client.SignupOkAsync("bob", email: "albert@example.test");

        var byAl = Usernames(await PageAsync(admin.AccessToken, "?q=AL"));
        var byFred = Usernames(await PageAsync(admin.AccessToken, "?q=fred%40"));
        var wildcard = Usernames(await PageAsync(admin.AccessToken, "?q=%25"));

        Assert.That(byAl, Is.EqualTo(new[] { "alice", "alfred", "bob" }));
        Assert.That(byFred, Is.EqualTo(new[] { "alfred" }));
        Assert.That(wildcard, Is.Empty);
    }

    // The range's upper bound is the prefix with its last code point stepped up: these are the
    // code points where stepping a UTF-16 unit instead overflows, lands in the surrogates, or
    // splits a pair.
    [TestCase("\uFFFF")]
    [TestCase("\uD7FF")]
    [TestCase("\U0001F7FF")]
    [TestCase("\U0010FFFF")]
    [TestCase("\U0001F600")]
    public async Task The_q_filter_takes_a_prefix_ending_in_any_code_point(string last)
    {
        var admin = await SignupAdminAsync("root");
        await Client.SignupOkAsync("carol", email: $"c{last}@example.test");
        await Client.SignupOkAsync("cindy", email: $"c{last}{last}@example.test");
        await Client.SignupOkAsync("chris", email: "c@example.test");

        var response = await Client.GetAsync($"/v1/users?q={Uri.EscapeDataString("c" + last)}", admin.AccessToken);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(Usernames(await response.Content.ReadFromJsonAsync<JsonElement>()), Is.EqualTo(new[] { "carol", "cindy" }));
    }

    [Test]
    public async Task The_q_filter_takes_a_prefix_that_no_string_sorts_above()
    {
        var admin = await SignupAdminAsync("root");
        await Client.SignupOkAsync("carol", email: "\U0010FFFF\U0010FFFF@example.test");
        await Client.SignupOkAsync("chris", email: "c\U0010FFFF@example.test");

        var page = await PageAsync(admin.AccessToken, $"?q={Uri.EscapeDataString("\U0010FFFF")}");

        Assert.That(Usernames(page), Is.EqualTo(new[] { "carol" }));
    }

    [TestCase("?limit=0")]
    [TestCase("?limit=101")]
    [TestCase("?limit=abc")]
    [TestCase("?cursor=%%%")]
    [TestCase("?cursor=AAAAAAAAAAAA")]
    public async Task Bad_paging_values_are_a_400(string query)
    {
        var admin = await SignupAdminAsync("root");

        await (await Client.GetAsync($"/v1/users{query}", admin.AccessToken)).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task A_promotion_takes_effect_on_the_next_request_with_the_old_token()
    {
        var admin = await SignupAdminAsync("root");
        var alice = await Client.MemberAsync("alice");
        Assert.That((await Client.GetAsync("/v1/users", alice.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        var response = await Client.SendAsync(HttpMethod.Patch, "/v1/users/alice", admin.AccessToken, new { role = "admin" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("role").GetString(), Is.EqualTo("admin"));
        Assert.That((await Client.GetAsync("/v1/users", alice.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_demotion_takes_effect_on_the_next_request()
    {
        var admin = await SignupAdminAsync("root");
        var other = await SignupAdminAsync("second");

        await Client.SendAsync(HttpMethod.Patch, "/v1/users/second", admin.AccessToken, new { role = "member" });

        Assert.That((await Client.GetAsync("/v1/users", other.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Deactivating_a_user_revokes_their_sessions_and_reactivating_lets_them_back()
    {
        var admin = await SignupAdminAsync("root");
        var alice = await Client.MemberAsync("alice");

        var off = await Client.SendAsync(HttpMethod.Patch, "/v1/users/alice", admin.AccessToken, new { is_active = false });

        Assert.That(off.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await Client.GetAsync("/v1/users/me", alice.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await ScalarAsync<string>("SELECT revoke_reason FROM paseto_auth.sessions WHERE id = $1", alice.SessionId), Is.EqualTo("revoked_by_admin"));
        Assert.That((await Client.LoginAsync("alice")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));

        await Client.SendAsync(HttpMethod.Patch, "/v1/users/alice", admin.AccessToken, new { is_active = true });

        Assert.That((await Client.LoginAsync("alice")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task The_last_active_admin_cannot_be_demoted_or_deactivated()
    {
        var admin = await SignupAdminAsync("root");

        await (await Client.SendAsync(HttpMethod.Patch, "/v1/users/root", admin.AccessToken, new { role = "member" })).AssertProblemAsync(HttpStatusCode.Conflict);
        await (await Client.SendAsync(HttpMethod.Patch, "/v1/users/root", admin.AccessToken, new { is_active = false })).AssertProblemAsync(HttpStatusCode.Conflict);
        await (await Client.SendAsync(HttpMethod.Post, "/v1/users/me/deactivate", admin.AccessToken, new { password = ApiClientExtensions.Password }))
            .AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.users WHERE role = 'admin' AND is_active"), Is.EqualTo(1));
    }

    [Test]
    public async Task Two_admins_demoting_each_other_at_once_leave_one_admin()
    {
        var a = await SignupAdminAsync("admin_a");
        var b = await SignupAdminAsync("admin_b");

        var results = await Task.WhenAll(
            Client.SendAsync(HttpMethod.Patch, "/v1/users/admin_b", a.AccessToken, new { role = "member" }),
            Client.SendAsync(HttpMethod.Patch, "/v1/users/admin_a", b.AccessToken, new { role = "member" }));

        Assert.That(results.Select(r => r.StatusCode), Has.All.AnyOf(HttpStatusCode.OK, HttpStatusCode.Conflict, HttpStatusCode.Forbidden));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.users WHERE role = 'admin' AND is_active"), Is.EqualTo(1));
    }

    [Test]
    public async Task Unknown_users_and_unknown_roles_are_refused()
    {
        var admin = await SignupAdminAsync("root");
        await Client.SignupOkAsync("alice");

        await (await Client.SendAsync(HttpMethod.Patch, "/v1/users/nobody", admin.AccessToken, new { role = "admin" })).AssertProblemAsync(HttpStatusCode.NotFound);
        var problem = await (await Client.SendAsync(HttpMethod.Patch, "/v1/users/alice", admin.AccessToken, new { role = "root" })).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "role" }));
    }

    [Test]
    public async Task An_admin_sees_every_profile_with_email()
    {
        var admin = await SignupAdminAsync("root");
        await Client.SignupOkAsync("alice");

        var body = await (await Client.GetAsync("/v1/users/alice", admin.AccessToken)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(body.GetProperty("email").GetString(), Is.EqualTo("alice@example.test"));
    }
}
