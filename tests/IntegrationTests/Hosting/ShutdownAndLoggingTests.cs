using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Hosting;

/// <summary>The real process: SIGTERM drains in-flight requests; Production logs are JSON lines with the trace id.</summary>
public sealed class ShutdownAndLoggingTests : ApiTestBase
{
    [Test]
    public async Task Sigterm_stops_accepting_finishes_the_request_in_flight_and_exits_0()
    {
        await using var api = await ApiProcess.StartAsync(Factory.ConnectionString);
        var body = Encoding.UTF8.GetBytes("""{"username":"nobody","password":"correct horse battery staple"}""");
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, api.Port);
        var stream = tcp.GetStream();
        var head = $"POST /v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(body.AsMemory(0, 10));
        await stream.FlushAsync();
        await Task.Delay(300);

        api.Terminate();
        await Task.Delay(500);

        Assert.That(api.HasExited, Is.False, "the process waits for the request in flight");
        using (var late = new TcpClient())
        {
            Assert.That(async () => await late.ConnectAsync(IPAddress.Loopback, api.Port), Throws.InstanceOf<SocketException>(),
                "no new connections once stopping");
        }

        await stream.WriteAsync(body.AsMemory(10));
        await stream.FlushAsync();
        var answer = await ReadHeadAsync(stream);
        Assert.That(answer, Does.StartWith("HTTP/1.1 401"));
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

    private static async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var buffer = new byte[4096];
        var read = await stream.ReadAsync(buffer, timeout.Token);
        return Encoding.ASCII.GetString(buffer, 0, read);
    }
}
