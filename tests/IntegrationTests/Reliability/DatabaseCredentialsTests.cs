using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Reliability;

/// <summary>
/// The database refuses the configured password (PostgreSQL 28P01): the service is not ready and
/// says why, every request answers 503 problem + Retry-After (the client can do nothing about it,
/// and a 500 would be a bug), and the log tells the operator once, not once per request.
/// </summary>
public sealed class DatabaseCredentialsTests
{
    private const string WrongPassword = "wrong-hunter2-password";
    private const string Refused = "refused the credentials";

    private CapturingLoggerProvider _logs = null!;
    private ApiFactory _wrongPassword = null!;
    private WebApplicationFactory<Program> _factory = null!;
    private HttpClient _client = null!;

    [SetUp]
    public async Task Start()
    {
        var connectionString = new NpgsqlConnectionStringBuilder(await TestPostgres.CreateDatabaseAsync()) { Password = WrongPassword }.ConnectionString;
        _logs = new CapturingLoggerProvider();
        _wrongPassword = new ApiFactory(connectionString);
        _factory = _wrongPassword.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(_logs)));
        _client = _factory.CreateClient();
    }

    [TearDown]
    public async Task Stop()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        await _wrongPassword.DisposeAsync();
        _logs.Dispose();
    }

    [Test]
    public async Task A_burst_of_requests_answers_503_with_retry_after_ready_says_why_and_the_log_says_it_once()
    {
        var token = _factory.Services.GetRequiredService<ITokenService>()
            .IssueAccessToken(new AccessTokenSubject(1, "alice", "member", Guid.NewGuid()), DateTimeOffset.UtcNow).Token;
        var requests = Enumerable.Range(0, 24).Select(i => (i % 4) switch
        {
            0 => _client.SignupAsync($"user{i}"),
            1 => _client.LoginAsync($"user{i}"),
            2 => _client.GetAsync("/v1/users/me", token),
            _ => _client.GetAsync("/health/ready"),
        });

        var responses = await Task.WhenAll(requests);

        foreach (var response in responses)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.That(text, Does.Not.Contain(WrongPassword).And.Not.Contain("28P01").And.Not.Contain("paseto").And.Not.Contain("127.0.0.1"));
            var problem = await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.That(problem.GetProperty("type").GetString(), Is.EqualTo("/problems/unavailable"));
            Assert.That(response.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero));
            if (response.RequestMessage!.RequestUri!.AbsolutePath == "/health/ready")
            {
                Assert.That(problem.GetProperty("detail").GetString(), Does.Contain($"The database {Refused}"));
            }
        }

        var lines = _logs.Lines.ToList();
        Assert.That(lines.Count(l => l.Message.Contains(Refused, StringComparison.Ordinal)), Is.EqualTo(1),
            string.Join("\n", lines.Select(l => $"{l.Level} {l.Category}: {l.Message}")));
        Assert.That(lines.Single(l => l.Message.Contains(Refused, StringComparison.Ordinal)).Message,
            Does.Contain("ConnectionStrings__Postgres or DATABASE_URL").And.Not.Contain(WrongPassword));
        Assert.That(lines.Where(l => l.Level >= LogLevel.Error && !l.Message.Contains(Refused, StringComparison.Ordinal)).Select(l => $"{l.Category}: {l.Message}"),
            Is.Empty, "no other error per request");
    }

    [Test]
    public async Task Start_up_says_the_database_refused_the_credentials_before_any_request()
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!_logs.Lines.Any(l => l.Message.Contains(Refused, StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        var said = _logs.Lines.Where(l => l.Message.Contains(Refused, StringComparison.Ordinal)).ToList();
        Assert.That(said, Has.Count.EqualTo(1));
        Assert.That(said[0].Level, Is.EqualTo(LogLevel.Error));
    }
}
