using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Paseto.Auth.Infrastructure.Persistence;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Sessions;

public sealed class SessionTests : ApiTestBase
{
    private async Task<JsonElement[]> ListAsync(string accessToken)
    {
        var response = await Client.GetAsync("/v1/sessions", accessToken);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return [.. (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray()];
    }

    [Test]
    public async Task Logout_revokes_the_current_session_at_once()
    {
        var tokens = await Client.MemberAsync("alice");

        var response = await Client.SendAsync(HttpMethod.Post, "/v1/logout", tokens.AccessToken);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await Client.GetAsync("/v1/users/me", tokens.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await ScalarAsync<string>("SELECT revoke_reason FROM paseto_auth.sessions"), Is.EqualTo("logout"));
    }

    [Test]
    public async Task Sessions_lists_the_active_ones_and_marks_the_current()
    {
        await Client.MemberAsync("alice");
        var second = await Client.LoginOkAsync("alice");

        var items = await ListAsync(second.AccessToken);

        Assert.That(items, Has.Length.EqualTo(2));
        var current = items.Single(i => i.GetProperty("current").GetBoolean());
        Assert.That(current.GetProperty("id").GetGuid(), Is.EqualTo(second.SessionId));
        foreach (var name in new[] { "created_at", "last_seen_at", "expires_at", "user_agent", "ip" })
        {
            Assert.That(current.TryGetProperty(name, out _), Is.True, name);
        }
    }

    [Test]
    public async Task Deleting_one_session_revokes_it_and_no_other()
    {
        var first = await Client.MemberAsync("alice");
        var second = await Client.LoginOkAsync("alice");

        var response = await Client.SendAsync(HttpMethod.Delete, $"/v1/sessions/{first.SessionId}", second.AccessToken);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await Client.GetAsync("/v1/users/me", first.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await Client.GetAsync("/v1/users/me", second.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Deleting_another_users_session_is_a_404_and_changes_nothing()
    {
        var alice = await Client.MemberAsync("alice");
        var bob = await Client.MemberAsync("bob");

        var response = await Client.SendAsync(HttpMethod.Delete, $"/v1/sessions/{alice.SessionId}", bob.AccessToken);

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.That((await Client.GetAsync("/v1/users/me", alice.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Deleting_an_unknown_session_is_a_404()
    {
        var alice = await Client.MemberAsync("alice");

        var response = await Client.SendAsync(HttpMethod.Delete, $"/v1/sessions/{Guid.NewGuid()}", alice.AccessToken);

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Deleting_all_sessions_keeps_only_the_current()
    {
        var first = await Client.MemberAsync("alice");
        var second = await Client.LoginOkAsync("alice");
        var third = await Client.LoginOkAsync("alice");

        var response = await Client.SendAsync(HttpMethod.Delete, "/v1/sessions", third.AccessToken);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await Client.GetAsync("/v1/users/me", first.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await Client.GetAsync("/v1/users/me", second.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var items = await ListAsync(third.AccessToken);
        Assert.That(items.Select(i => i.GetProperty("id").GetGuid()), Is.EqualTo(new[] { third.SessionId }));
    }

    [Test]
    public async Task Logout_on_one_host_is_refused_by_another_host_on_the_same_database()
    {
        await using var otherHost = new ApiFactory(Factory.ConnectionString);
        using var other = otherHost.CreateClient();
        var tokens = await Client.MemberAsync("alice");
        Assert.That((await other.GetAsync("/v1/users/me", tokens.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        await Client.SendAsync(HttpMethod.Post, "/v1/logout", tokens.AccessToken);

        await SessionCacheWait.UntilRefusedAsync(otherHost, other, tokens.AccessToken);
    }

    [Test]
    public async Task Cleanup_deletes_long_ended_sessions_and_their_spent_tokens_and_keeps_the_rest()
    {
        var active = await Client.MemberAsync("alice");
        var ended = await Client.LoginOkAsync("alice");
        await Client.PostAsJsonAsync("/v1/token/refresh", new { refresh_token = ended.RefreshToken });
        await ScalarAsync<int>("UPDATE paseto_auth.sessions SET revoked_at = now() - interval '8 days' WHERE id = $1", ended.SessionId);
        var recentlyEnded = await Client.LoginOkAsync("alice");
        await Client.SendAsync(HttpMethod.Post, "/v1/logout", recentlyEnded.AccessToken);

        var deleted = await Factory.Services.GetRequiredService<RetentionCleanup>().RunOnceAsync(CancellationToken.None);

        Assert.That(deleted, Is.EqualTo(1));
        var remaining = await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.sessions WHERE id = ANY($1)", new[] { active.SessionId, recentlyEnded.SessionId });
        Assert.That(remaining, Is.EqualTo(2));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.spent_refresh_tokens"), Is.Zero);
    }
}
