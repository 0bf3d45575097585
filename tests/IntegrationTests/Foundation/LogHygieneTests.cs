using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Foundation;

/// <summary>
/// DESIGN §2: no SQL text in any log line, at any level, and expected outcomes (a taken name,
/// a wrong password, a stale version) are no errors: they log no stack trace.
/// </summary>
public sealed partial class LogHygieneTests : ApiTestBase
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Debug",
        ["Logging:LogLevel:Microsoft"] = "Debug",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Debug",
        ["Logging:LogLevel:Npgsql"] = "Debug",
    };

    [Test]
    public async Task Expected_conflicts_and_failures_log_no_sql_and_no_stack_trace()
    {
        var logs = new CapturingLoggerProvider();
        await using var factory = Factory.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs)));
        using var client = factory.CreateClient();

        var alice = await client.MemberAsync("alice");
        await client.SignupOkAsync("bob");
        var statuses = new List<HttpStatusCode>
        {
            (await client.SignupAsync("alice", email: "other@example.test")).StatusCode,
            (await client.SignupAsync("carol", email: "alice@example.test")).StatusCode,
            (await client.SendAsync(HttpMethod.Patch, "/v1/users/me", alice.AccessToken,
                new { username = "bob", current_password = ApiClientExtensions.Password })).StatusCode,
            (await client.LoginAsync("alice", "not the password at all")).StatusCode,
            (await client.GetAsync("/v1/users/nobody", alice.AccessToken)).StatusCode,
        };
        var post = await client.SendAsync(HttpMethod.Post, "/v1/posts", alice.AccessToken, new { title = "A title", body = "A body" });
        var location = post.Headers.Location!.ToString();
        await client.SendAsync(HttpMethod.Patch, location, alice.AccessToken, new { title = "Changed" });
        var stale = new HttpRequestMessage(HttpMethod.Patch, location) { Content = System.Net.Http.Json.JsonContent.Create(new { title = "Stale" }) };
        stale.Headers.Authorization = new("Bearer", alice.AccessToken);
        stale.Headers.IfMatch.ParseAdd(post.Headers.ETag!.ToString());
        statuses.Add((await client.SendAsync(stale)).StatusCode);

        Assert.That(statuses, Is.EqualTo(new[]
        {
            HttpStatusCode.Conflict, HttpStatusCode.Conflict, HttpStatusCode.Conflict, HttpStatusCode.Unauthorized,
            HttpStatusCode.NotFound, HttpStatusCode.PreconditionFailed,
        }));
        var lines = logs.Lines.ToList();
        Assert.That(lines.Count(l => l.Category.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal)), Is.Positive, "EF Core logged at Debug");
        Assert.That(lines.Where(l => SqlText().IsMatch(l.Message)).Select(l => $"{l.Category} {l.Level}: {l.Message}"), Is.Empty);
        Assert.That(lines.Where(l => l.Level >= LogLevel.Warning).Select(l => $"{l.Category} {l.Level}: {l.Message}"), Is.Empty);
        Assert.That(lines.Where(l => StackFrame().IsMatch(l.Message)).Select(l => $"{l.Category} {l.Level}: {l.Message}"), Is.Empty);
    }

    // The statements EF Core and our own SQL write, in the upper case both use.
    [GeneratedRegex(@"\bSELECT\b[\s\S]*\bFROM\b|\bINSERT INTO\b|\bUPDATE\b\s+\S+\s+(AS \S+\s+)?SET\b|\bDELETE FROM\b")]
    private static partial Regex SqlText();

    [GeneratedRegex(@"^\s+at \S+\(", RegexOptions.Multiline)]
    private static partial Regex StackFrame();
}
