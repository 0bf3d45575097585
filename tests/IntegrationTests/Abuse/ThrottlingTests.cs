using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Abuse;

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

    private static Task<HttpResponseMessage> LoginFromAsync(HttpClient client, string ip, string username, string password, string? deviceToken = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/login")
        {
            Content = JsonContent.Create(new { username, password, device_token = deviceToken }),
        };
        request.Headers.Add(TestClientAddress.Header, ip);
        return client.SendAsync(request);
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
            statuses.Add((await LoginFromAsync(client, "203.0.113.1", "alice", "wrong password here")).StatusCode);
        }

        var blocked = await LoginFromAsync(client, "203.0.113.1", "alice", ApiClientExtensions.Password);
        _time.Advance(TimeSpan.FromSeconds(11));
        await LoginFromAsync(client, "203.0.113.1", "alice", "wrong password here");
        var longer = await LoginFromAsync(client, "203.0.113.1", "alice", "wrong password here");

        Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.Unauthorized));
        await blocked.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.That(RetryAfter(blocked), Is.EqualTo(10));
        await longer.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.That(RetryAfter(longer), Is.EqualTo(20), "the next delay doubles");

        _time.Advance(TimeSpan.FromSeconds(21));
        Assert.That((await LoginFromAsync(client, "203.0.113.1", "alice", ApiClientExtensions.Password)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await LoginFromAsync(client, "203.0.113.1", "alice", "wrong password here")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized),
            "the success reset this source's count");
    }

    [Test]
    public async Task The_account_budget_refuses_the_next_failure_even_from_a_new_address()
    {
        await Client.SignupOkAsync("alice");
        for (var i = 0; i < 6; i++)
        {
            Assert.That((await LoginFromAsync(Client, $"198.51.100.{i + 1}", "alice", "wrong password here")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        }

        var fresh = await LoginFromAsync(Client, "198.51.100.200", "alice", ApiClientExtensions.Password);

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
            await LoginFromAsync(Client, $"192.0.2.{i + 1}", "alice", "attacker guess " + i);
        }

        var untrusted = await LoginFromAsync(Client, "127.0.0.1", "alice", ApiClientExtensions.Password);
        var trusted = await LoginFromAsync(Client, "127.0.0.1", "alice", ApiClientExtensions.Password, owner.DeviceToken);

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
            await LoginFromAsync(Client, $"192.0.2.{i + 1}", "alice", "attacker guess " + i);
        }

        Assert.That(revoke.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await LoginFromAsync(Client, "127.0.0.1", "alice", ApiClientExtensions.Password, owner.DeviceToken)).StatusCode,
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
                last = await LoginFromAsync(Client, "203.0.113.9", username, "wrong password here");
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
            await LoginFromAsync(Client, "203.0.113.7", "alice", "wrong password here");
        }

        var response = await LoginFromAsync(otherClient, "203.0.113.7", "alice", ApiClientExtensions.Password);

        await response.AssertProblemAsync(HttpStatusCode.TooManyRequests);
    }

    [Test]
    public async Task Signups_past_the_budget_of_one_address_are_429_and_other_addresses_still_sign_up()
    {
        async Task<HttpResponseMessage> SignupFromAsync(string ip, string username)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/v1/users/signup") { Content = JsonContent.Create(ApiClientExtensions.SignupBody(username)) };
            request.Headers.Add(TestClientAddress.Header, ip);
            return await Client.SendAsync(request);
        }

        for (var i = 0; i < 3; i++)
        {
            Assert.That((await SignupFromAsync("203.0.113.50", $"user{i}")).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        }

        var refused = await SignupFromAsync("203.0.113.50", "user9");
        var elsewhere = await SignupFromAsync("203.0.113.51", "user10");

        await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.That(refused.Headers.RetryAfter, Is.Not.Null);
        Assert.That(elsewhere.StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    /// <summary>Disposes a derived factory with the test.</summary>
    private sealed class WebApplicationFactoryHandle(IAsyncDisposable factory) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => factory.DisposeAsync();
    }
}
