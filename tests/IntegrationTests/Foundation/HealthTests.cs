using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Foundation;

public sealed class HealthTests : ApiTestBase
{
    [Test]
    public async Task Live_answers_healthy_without_touching_the_database()
    {
        var response = await Client.GetAsync("/health/live");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("healthy"));
    }

    [Test]
    public async Task Ready_answers_healthy_when_the_database_answers()
    {
        var response = await Client.GetAsync("/health/ready");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("healthy"));
    }

    [Test]
    public async Task Ready_answers_a_503_problem_with_Retry_After_when_the_database_is_unreachable()
    {
        var unreachable = $"Host=127.0.0.1;Port={LoopbackPort.Free()};Database=none;Username=none;Password=none;Timeout=2";
        await using var factory = new ApiFactory(unreachable);
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/health/ready");

        var problem = await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.That(problem.GetProperty("type").GetString(), Is.EqualTo("/problems/unavailable"));
        Assert.That(response.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero));
        Assert.That(problem.ToString(), Does.Not.Contain("127.0.0.1"));
    }

    [Test]
    public async Task Before_the_migrations_ready_answers_503_and_requests_answer_503_not_500()
    {
        var logs = new CapturingLoggerProvider();
        await using var empty = new ApiFactory(await TestPostgres.CreateEmptyDatabaseAsync());
        await using var factory = empty.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs)));
        using var client = factory.CreateClient();

        var ready = await client.GetAsync("/health/ready");
        var signup = await client.PostAsJsonAsync("/v1/users/signup", new
        {
            username = "early",
            email = "early@example.com",
            password = "correct horse battery staple",
            firstname = "Early",
            referer_secret = ApiClientExtensions.RefererSecret,
        });
        var login = await client.PostAsJsonAsync("/v1/login", new { username = "early", password = "correct horse battery staple" });

        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        foreach (var response in new[] { signup, login })
        {
            await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.That(response.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero));
        }

        Assert.That(logs.Lines.Select(l => l.Message), Has.Some.Contains("apply the migrations"), "the operator is told what is wrong");
    }

    [Test]
    public async Task Migrations_created_the_users_table_in_the_configured_schema()
    {
        var exists = await ScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = 'paseto_auth' AND table_name = 'users')");

        Assert.That(exists, Is.True);
    }
}
