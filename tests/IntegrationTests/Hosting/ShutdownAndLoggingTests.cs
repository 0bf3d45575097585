using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Hosting;

/// <summary>The real process: SIGTERM exits 0 within the shutdown timeout; Production logs are JSON lines with the trace id.</summary>
public sealed class ShutdownAndLoggingTests : ApiTestBase
{
    [Test]
    public async Task Sigterm_after_answering_exits_0_promptly()
    {
        await using var api = await ApiProcess.StartAsync(Factory.ConnectionString);
        using var client = api.CreateClient();
        Assert.That((await client.GetAsync("/health/ready")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        api.Terminate();

        Assert.That(await api.WaitForExitAsync(TimeSpan.FromSeconds(20)), Is.True);
        Assert.That(api.ExitCode, Is.Zero, string.Join("\n", api.Output));
    }

    [Test]
    public async Task Sigterm_gives_up_on_a_stuck_request_after_the_configured_timeout()
    {
        await using var api = await ApiProcess.StartAsync(Factory.ConnectionString, new Dictionary<string, string>
        {
            ["Hosting__ShutdownTimeout"] = "00:00:02",
        });
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, api.Port);
        await tcp.GetStream().WriteAsync(Encoding.ASCII.GetBytes("POST /v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"));
        await Task.Delay(300);
        var stopping = DateTime.UtcNow;

        api.Terminate();

        Assert.That(await api.WaitForExitAsync(TimeSpan.FromSeconds(15)), Is.True);
        Assert.That(DateTime.UtcNow - stopping, Is.LessThan(TimeSpan.FromSeconds(10)));
    }

    [Test]
    public async Task Production_logs_one_json_object_per_line_with_the_trace_id()
    {
        await using var api = await ApiProcess.StartAsync(Factory.ConnectionString, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        });
        using var client = api.CreateClient();
        var traceId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/users/signup")
        {
            Content = System.Net.Http.Json.JsonContent.Create(ApiClientExtensions.SignupBody("alice")),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-0123456789abcdef-01");

        var response = await client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        await Task.Delay(500);
        var lines = api.Output.ToList();

        Assert.That(lines, Is.Not.Empty);
        foreach (var line in lines)
        {
            Assert.That(() => JsonDocument.Parse(line).Dispose(), Throws.Nothing, line);
        }

        var signup = lines.Single(l => l.Contains("Security event signup", StringComparison.Ordinal));
        Assert.That(signup, Does.Contain($"\"TraceId\":\"{traceId}\""));
    }
}
