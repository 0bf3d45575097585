using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Paseto.Auth.Infrastructure.Persistence;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Auth;

public sealed class ThrottlingTests : ApiTestBase
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Auth:Throttling:FreeFailures"] = "2",
        ["Auth:Throttling:BaseDelay"] = "00:00:10",
        ["Auth:Throttling:AccountFailuresPerHour"] = "6",
        ["Auth:Throttling:SignupsPerAddressPerHour"] = "3",
    };

    private HttpClient ClientWithFakeTime(out WebApplicationFactoryHandle handle)
    {
        var factory = Factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(_time)));
        handle = new WebApplicationFactoryHandle(factory);
        return factory.CreateClient();
    }

    private static int RetryAfter(HttpResponseMessage response) => (int)response.Headers.RetryAfter!.Delta!.Value.TotalSeconds;

    [Test]
    public async Task Delays_grow_after_a_few_failures_from_one_source_and_a_success_resets_it()
    {
        using var client = ClientWithFakeTime(out var handle);
        await using var _ = handle;
        await client.SignupOkAsync("alice");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await client.LoginFromAsync("203.0.113.1", "alice", "wrong password here")).StatusCode);
        }

        var blocked = await client.LoginFromAsync("203.0.113.1", "alice", ApiClientExtensions.Password);
        _time.Advance(TimeSpan.FromSeconds(11));
        await client.LoginFromAsync("203.0.113.1", "alice", "wrong password here");
        var longer = await client.LoginFromAsync("203.0.113.1", "alice", "wrong password here");

        Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.Unauthorized));
        await blocked.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.That(RetryAfter(blocked), Is.EqualTo(10));
        await longer.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.That(RetryAfter(longer), Is.EqualTo(20), "the next delay doubles");

        _time.Advance(TimeSpan.FromSeconds(21));
        Assert.That((await client.LoginFromAsync("203.0.113.1", "alice", ApiClientExtensions.Password)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await client.LoginFromAsync("203.0.113.1", "alice", "wrong password here")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized),
            "the success reset this source's count");
    }

    [Test]
    public async Task The_account_budget_refuses_the_next_failure_even_from_a_new_address()
    {
        await Client.SignupOkAsync("alice");
        for (var i = 0; i < 6; i++)
        {
            Assert.That((await Client.LoginFromAsync($"198.51.100.{i + 1}", "alice", "wrong password here")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        }

        var fresh = await Client.LoginFromAsync("198.51.100.200", "alice", ApiClientExtensions.Password);

        await fresh.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.That(RetryAfter(fresh), Is.InRange(3590, 3600));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.security_events WHERE type = 'login_throttled'"), Is.EqualTo(1));
    }

    [Test]
    public async Task The_owner_with_a_device_token_gets_in_while_the_account_is_flooded()
    {
        await Client.SignupOkAsync("alice");
        var owner = await Client.LoginOkAsync("alice");
        Assert.That(owner.DeviceToken, Has.Length.EqualTo(43));
        for (var i = 0; i < 10; i++)
        {
            await Client.LoginFromAsync($"192.0.2.{i + 1}", "alice", "attacker guess " + i);
        }

        var untrusted = await Client.LoginFromAsync("127.0.0.1", "alice", ApiClientExtensions.Password);
        var trusted = await Client.LoginFromAsync("127.0.0.1", "alice", ApiClientExtensions.Password, owner.DeviceToken);

        Assert.That(untrusted.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(trusted.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await ApiClientExtensions.ReadTokensAsync(trusted)).DeviceToken, Is.EqualTo(owner.DeviceToken));
    }

    [Test]
    public async Task A_revoked_device_token_no_longer_earns_its_own_counter()
    {
        await Client.SignupOkAsync("alice");
        var owner = await Client.LoginOkAsync("alice");
        var list = await (await Client.GetAsync("/v1/sessions", owner.AccessToken)).Content.ReadFromJsonAsync<JsonElement>();
        var deviceId = list.GetProperty("devices")[0].GetProperty("id").GetGuid();

        var revoke = await Client.SendAsync(HttpMethod.Delete, $"/v1/devices/{deviceId}", owner.AccessToken);
        for (var i = 0; i < 10; i++)
        {
            await Client.LoginFromAsync($"192.0.2.{i + 1}", "alice", "attacker guess " + i);
        }

        Assert.That(revoke.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await Client.LoginFromAsync("127.0.0.1", "alice", ApiClientExtensions.Password, owner.DeviceToken)).StatusCode,
            Is.EqualTo(HttpStatusCode.TooManyRequests));
    }

    [Test]
    public async Task Known_and_unknown_usernames_are_throttled_alike()
    {
        await Client.SignupOkAsync("alice");
        async Task<(HttpStatusCode[] Statuses, string Body, int RetryAfter)> FloodAsync(string username)
        {
            var statuses = new List<HttpStatusCode>();
            HttpResponseMessage last = null!;
            for (var i = 0; i < 5; i++)
            {
                last = await Client.LoginFromAsync("203.0.113.9", username, "wrong password here");
                statuses.Add(last.StatusCode);
            }

            var problem = await last.AssertProblemAsync(HttpStatusCode.TooManyRequests);
            return ([.. statuses], problem.GetProperty("detail").GetString() + problem.GetProperty("title").GetString(), RetryAfter(last));
        }

        var known = await FloodAsync("alice");
        var unknown = await FloodAsync("nobody");

        Assert.That(unknown.Statuses, Is.EqualTo(known.Statuses));
        Assert.That(unknown.Body, Is.EqualTo(known.Body));
        Assert.That(unknown.RetryAfter, Is.EqualTo(known.RetryAfter));
    }

    [Test]
    public async Task Two_hosts_on_one_database_share_the_counts()
    {
        await using var other = new ApiFactory(Factory.ConnectionString, Settings);
        using var otherClient = other.CreateClient();
        await Client.SignupOkAsync("alice");
        for (var i = 0; i < 3; i++)
        {
            await Client.LoginFromAsync("203.0.113.7", "alice", "wrong password here");
        }

        var response = await otherClient.LoginFromAsync("203.0.113.7", "alice", ApiClientExtensions.Password);

        await response.AssertProblemAsync(HttpStatusCode.TooManyRequests);
    }

    [Test]
    public async Task Signups_past_the_budget_of_one_address_are_429_and_other_addresses_still_sign_up()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.That((await Client.SignupFromAsync("203.0.113.50", $"user{i}")).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        }

        var refused = await Client.SignupFromAsync("203.0.113.50", "user9");
        var elsewhere = await Client.SignupFromAsync("203.0.113.51", "user10");

        await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.That(refused.Headers.RetryAfter, Is.Not.Null);
        Assert.That(elsewhere.StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    [Test]
    public async Task Parallel_signups_from_one_address_create_exactly_its_budget_of_accounts()
    {
        await using var factory = Factory.WithWebHostBuilder(b => b.UseSetting("Auth:Throttling:SignupsPerAddressPerHour", "10"));
        using var client = factory.CreateClient();

        var responses = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => client.SignupFromAsync("203.0.113.80", $"parallel{i}")));

        Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.Created), Is.EqualTo(10));
        Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests), Is.EqualTo(20));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.users"), Is.EqualTo(10));
    }

    [Test]
    public async Task The_retention_sweep_removes_counters_idle_longer_than_any_window_and_keeps_the_others()
    {
        await Client.SignupOkAsync("alice");
        await Client.LoginFromAsync("203.0.113.90", "alice", "wrong password here");
        await ScalarAsync<int>("""
            INSERT INTO paseto_auth.throttle_counters (key, count, window_start, last_at)
            VALUES ('login:name:gone|ip:203.0.113.91', 1, now() - interval '31 days', now() - interval '31 days'),
                   ('stepup:session:00000000-0000-0000-0000-000000000001', 4, now() - interval '29 days', now() - interval '29 days')
            """);

        await Factory.Services.GetRequiredService<RetentionCleanup>().RunOnceAsync(CancellationToken.None);

        var keys = await ScalarAsync<string>("SELECT string_agg(key, ' ' ORDER BY key) FROM paseto_auth.throttle_counters");
        Assert.That(keys, Does.Not.Contain("login:name:gone"), "idle for longer than the longest window (a session's life): as if never counted");
        Assert.That(keys, Does.Contain("stepup:session:").And.Contain("login:user:"), "a session's step-up count lasts as long as the session may");
    }

    private Task<long> PasswordChecksOfAsync(string username) => ScalarAsync<long>("""
        SELECT count(*) FROM paseto_auth.security_events e JOIN paseto_auth.users u ON u.id = e.user_id
        WHERE u.username = $1 AND e.type IN ('login_failed', 'login_succeeded')
        """, username);

    [Test]
    public async Task A_burst_from_one_address_gets_no_more_password_checks_than_the_same_attempts_one_by_one()
    {
        await Client.SignupOkAsync("alice");
        await Client.SignupOkAsync("bob");
        var guesses = Enumerable.Range(0, 150).Select(i => $"wrong guess number {i}").ToList();

        var burst = await Task.WhenAll(guesses.Select(g => Client.LoginFromAsync("203.0.113.66", "alice", g)));
        foreach (var guess in guesses)
        {
            await Client.LoginFromAsync("203.0.113.67", "bob", guess);
        }

        var checkedInBurst = await PasswordChecksOfAsync("alice");
        var checkedOneByOne = await PasswordChecksOfAsync("bob");
        Assert.That(checkedOneByOne, Is.EqualTo(3), "FreeFailures + 1 attempts reach the password check before the source is blocked");
        Assert.That(checkedInBurst, Is.EqualTo(checkedOneByOne));
        Assert.That(burst.Count(r => r.StatusCode == HttpStatusCode.Unauthorized), Is.EqualTo(checkedInBurst));
        Assert.That(burst.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests), Is.EqualTo(150 - checkedInBurst));
        Assert.That((await Client.LoginFromAsync("198.51.100.99", "alice", ApiClientExtensions.Password)).StatusCode, Is.EqualTo(HttpStatusCode.OK),
            "the attempts the source counter refused spent nothing of the account's hourly budget");
    }

    [Test]
    public async Task A_burst_from_many_addresses_gets_exactly_the_account_budget_of_password_checks()
    {
        await Client.SignupOkAsync("alice");

        var burst = await Task.WhenAll(Enumerable.Range(0, 150).Select(i =>
            Client.LoginFromAsync($"198.18.{i / 200}.{(i % 200) + 1}", "alice", $"wrong guess number {i}")));

        Assert.That(await PasswordChecksOfAsync("alice"), Is.EqualTo(6), "Auth:Throttling:AccountFailuresPerHour");
        Assert.That(burst.Count(r => r.StatusCode == HttpStatusCode.Unauthorized), Is.EqualTo(6));
        Assert.That(burst.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests), Is.EqualTo(144));
    }

    /// <summary>Disposes a derived factory with the test.</summary>
    private sealed class WebApplicationFactoryHandle(IAsyncDisposable factory) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => factory.DisposeAsync();
    }
}
