using System.Net;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Sessions;

public sealed class SessionLimitTests : ApiTestBase
{
    private Task<long> ActiveSessionsAsync() =>
        ScalarAsync<long>("SELECT count(*) FROM paseto_auth.sessions WHERE revoked_at IS NULL");

    [Test]
    public async Task Past_the_limit_the_oldest_session_is_revoked_by_default()
    {
        await using var factory = Factory.WithWebHostBuilder(b => b.UseSetting("Auth:Sessions:MaxActive", "2"));
        using var client = factory.CreateClient();
        var first = await client.MemberAsync("alice");
        var second = await client.LoginOkAsync("alice");

        var third = await client.LoginOkAsync("alice");

        Assert.That(await ActiveSessionsAsync(), Is.EqualTo(2));
        Assert.That((await client.GetAsync("/v1/users/me", first.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await client.GetAsync("/v1/users/me", second.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await client.GetAsync("/v1/users/me", third.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await ScalarAsync<string>("SELECT revoke_reason FROM paseto_auth.sessions WHERE id = $1", first.SessionId), Is.EqualTo("session_limit"));
    }

    [Test]
    public async Task With_reject_a_login_past_the_limit_is_a_409_and_starts_nothing()
    {
        await using var factory = Factory.WithWebHostBuilder(b => b
            .UseSetting("Auth:Sessions:MaxActive", "1")
            .UseSetting("Auth:Sessions:OnLimit", "reject"));
        using var client = factory.CreateClient();
        var first = await client.MemberAsync("alice");

        var response = await client.LoginAsync("alice");

        await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.That(await ActiveSessionsAsync(), Is.EqualTo(1));
        Assert.That((await client.GetAsync("/v1/users/me", first.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Right_passwords_rejected_at_the_limit_never_count_as_failures()
    {
        await using var factory = Factory.WithWebHostBuilder(b => b
            .UseSetting("Auth:Sessions:MaxActive", "1")
            .UseSetting("Auth:Sessions:OnLimit", "reject"));
        using var client = factory.CreateClient();
        await client.MemberAsync("alice");

        // Past the free failures of one account from one address, a counted attempt would be throttled.
        for (var i = 0; i < 6; i++)
        {
            await (await client.LoginAsync("alice")).AssertProblemAsync(HttpStatusCode.Conflict);
        }

        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.throttle_counters WHERE blocked_until > now()"), Is.Zero);
    }

    [Test]
    public async Task After_logout_a_rejected_user_may_log_in_again()
    {
        await using var factory = Factory.WithWebHostBuilder(b => b
            .UseSetting("Auth:Sessions:MaxActive", "1")
            .UseSetting("Auth:Sessions:OnLimit", "reject"));
        using var client = factory.CreateClient();
        var first = await client.MemberAsync("alice");
        await client.SendAsync(HttpMethod.Post, "/v1/logout", first.AccessToken);

        var second = await client.LoginAsync("alice");

        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase("revoke-oldest")]
    [TestCase("reject")]
    public async Task Parallel_logins_never_leave_more_than_the_limit_active(string policy)
    {
        await using var factory = Factory.WithWebHostBuilder(b => b
            .UseSetting("Auth:Sessions:MaxActive", "2")
            .UseSetting("Auth:Sessions:OnLimit", policy));
        using var client = factory.CreateClient();
        await client.SignupOkAsync("alice");

        // Ten devices, each at an address of its own: at one address, logins in flight count as
        // failures until they succeed (ThrottlingTests), and the limit here is the session limit.
        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => client.LoginFromAsync($"198.51.100.{i + 1}", "alice")));

        Assert.That(responses.Select(r => r.StatusCode), Has.All.AnyOf(HttpStatusCode.OK, HttpStatusCode.Conflict));
        Assert.That(await ActiveSessionsAsync(), Is.LessThanOrEqualTo(2));
        Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.OK), policy == "reject" ? Is.EqualTo(2) : Is.EqualTo(10));
    }

    [Test]
    public async Task A_limit_of_one_means_one_device_at_a_time()
    {
        await using var factory = Factory.WithWebHostBuilder(b => b.UseSetting("Auth:Sessions:MaxActive", "1"));
        using var client = factory.CreateClient();
        var laptop = await client.MemberAsync("alice");

        var phone = await client.LoginOkAsync("alice");

        Assert.That((await client.GetAsync("/v1/users/me", laptop.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await client.GetAsync("/v1/users/me", phone.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
