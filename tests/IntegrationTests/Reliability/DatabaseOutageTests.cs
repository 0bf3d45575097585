using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Paseto.Auth.Infrastructure.Authentication;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Reliability;

/// <summary>
/// PostgreSQL goes away under load (a proxy between the API and the database is cut) and comes
/// back: the API answers 503 problems with Retry-After in bounded time, never accepts a token it
/// cannot check, and recovers by itself.
/// </summary>
public sealed class DatabaseOutageTests
{
    private static readonly TimeSpan _bound = TimeSpan.FromSeconds(15);
    private TcpProxy _proxy = null!;
    private ApiFactory _factory = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        var direct = new NpgsqlConnectionStringBuilder(await TestPostgres.CreateDatabaseAsync());
        _proxy = new TcpProxy(direct.Host!, direct.Port);
        var proxied = new NpgsqlConnectionStringBuilder(direct.ConnectionString) { Host = "127.0.0.1", Port = _proxy.Port };
        _factory = new ApiFactory(proxied.ConnectionString);
        _client = _factory.CreateClient();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        await _proxy.DisposeAsync();
    }

    [Test]
    public async Task Requests_answer_503_while_the_database_is_away_and_the_service_recovers_on_its_own()
    {
        var tokens = await _client.MemberAsync("alice");
        Assert.That((await _client.GetAsync("/v1/users/me", tokens.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        _proxy.Cut();
        // The session cache may answer from memory until its last heartbeat is older than its
        // guarantee (docs/reliability.md); after that window nothing is accepted unchecked.
        await Task.Delay(_factory.Services.GetRequiredService<IOptions<SessionCacheOptions>>().Value.Guarantee * 2);
        var load = Enumerable.Range(0, 24).Select(i => (i % 3) switch
        {
            0 => TimedAsync(() => _client.GetAsync("/v1/users/me", tokens.AccessToken)),
            1 => TimedAsync(() => _client.LoginAsync("alice")),
            _ => TimedAsync(() => _client.GetAsync("/health/ready")),
        });
        var answers = await Task.WhenAll(load);

        foreach (var (response, elapsed) in answers)
        {
            Assert.That(elapsed, Is.LessThan(_bound), "answered in bounded time");
            await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.That(response.Headers.RetryAfter?.Delta, Is.Not.Null);
        }

        _proxy.Restore();
        var clock = Stopwatch.StartNew();
        HttpStatusCode ready;
        do
        {
            await Task.Delay(200);
            ready = (await _client.GetAsync("/health/ready")).StatusCode;
        }
        while (ready != HttpStatusCode.OK && clock.Elapsed < TimeSpan.FromSeconds(30));

        Assert.That(ready, Is.EqualTo(HttpStatusCode.OK), "ready again without a restart");
        Assert.That((await _client.GetAsync("/v1/users/me", tokens.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await _client.LoginAsync("alice")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    private static async Task<(HttpResponseMessage Response, TimeSpan Elapsed)> TimedAsync(Func<Task<HttpResponseMessage>> send)
    {
        var clock = Stopwatch.StartNew();
        var response = await send();
        return (response, clock.Elapsed);
    }
}
