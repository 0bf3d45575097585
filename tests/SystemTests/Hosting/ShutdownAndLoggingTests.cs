using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Paseto.Auth.IntegrationTests.Support;
using Paseto.Auth.SystemTests.Support;

namespace Paseto.Auth.SystemTests.Hosting;

/// <summary>
/// The real process: SIGTERM stops accepting, answers the requests in flight and exits 0 within
/// the shutdown timeout; Production logs are JSON lines with the trace id.
/// </summary>
public sealed partial class ShutdownAndLoggingTests : ApiTestBase
{
    private const int Logins = 6;

    /// <summary>Enough of a login body to leave the JSON reader in its first property name.</summary>
    private const int PartialBody = 10;

    [Test]
    public async Task Sigterm_refuses_new_connections_answers_every_request_in_flight_and_exits_0()
    {
        var shutdownTimeout = TimeSpan.FromSeconds(20);
        await using var api = await ApiProcess.StartAsync(Factory.ConnectionString, new Dictionary<string, string>
        {
            ["Hosting__ShutdownTimeout"] = "00:00:20",
            ["Auth__Sessions__MaxActive"] = $"{Logins + 1}",
            // Every login here is alice's from 127.0.0.1, all in flight at once: each counts as a
            // failure until it succeeds, so the source's free failures must cover them all.
            ["Auth__Throttling__FreeFailures"] = $"{Logins + 1}",
        });
        using (var client = api.CreateClient())
        {
            await client.SignupOkAsync("alice");
        }

        // Each login is in the application, reading its body, when the signal comes (the server has
        // asked for the body); half of them have the start of their body there already, so the
        // JSON reader is waiting in the middle of it (those were answered 500 before the fix). Once
        // the bodies arrive they all hash at once, more than there are hashing slots: slow work to drain.
        var login = JsonSerializer.Serialize(new { username = "alice", password = ApiClientExtensions.Password });
        var inFlight = new List<RawHttpRequest>();
        for (var i = 0; i < Logins; i++)
        {
            inFlight.Add(await RawHttpRequest.StartAsync(api.Port, "/v1/login", login, bodyBytesWithHead: i % 2 == 0 ? PartialBody : 0));
        }

        // And one through HttpClient, chunked, half its body sent when the signal comes.
        using var handler = new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(30) };
        using var streaming = new HttpClient(handler) { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var upload = new GatedContent(login);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/login") { Content = upload };
        request.Headers.ExpectContinue = true;
        var chunked = streaming.SendAsync(request);
        await upload.Started.WaitAsync(TimeSpan.FromSeconds(30));

        // A kept-alive connection with nothing in flight: the server closes it once it has asked
        // every connection to finish, which is when the reads still waiting for a body were canceled.
        using var idle = await OpenIdleConnectionAsync(api.Port);
        var stopping = Stopwatch.StartNew();

        api.Terminate();

        await WaitUntilConnectionsAreRefusedAsync(api.Port);
        await WaitUntilClosedAsync(idle);
        Assert.That(api.HasExited, Is.False, "the process waits for the requests in flight");
        await Task.WhenAll(inFlight.Select(r => r.SendRestOfBodyAsync()));
        upload.Release();
        var answers = await Task.WhenAll(inFlight.Select(r => r.ReadAnswerAsync()));
        var chunkedAnswer = await chunked;
        Assert.That(await api.WaitForExitAsync(shutdownTimeout), Is.True, "exits once the requests are answered");
        var elapsed = stopping.Elapsed;
        inFlight.ForEach(r => r.Dispose());

        var output = string.Join("\n", api.Output);
        Assert.That(api.ExitCode, Is.Zero, output);
        Assert.That(elapsed, Is.LessThan(shutdownTimeout), "drained, not given up on");
        var sessions = new List<Guid>();
        foreach (var answer in answers)
        {
            Assert.That(answer, Does.StartWith("HTTP/1.1 200 "), answer.Length == 0 ? "no answer: the connection was cut" : answer);
            Assert.That(answer, Does.Contain("Connection: close"), "the client is told not to reuse the connection");
            var session = SessionIdPattern().Match(answer);
            Assert.That(session.Success, Is.True, answer);
            sessions.Add(Guid.Parse(session.Groups[1].Value));
        }

        Assert.That(chunkedAnswer.StatusCode, Is.EqualTo(HttpStatusCode.OK), await chunkedAnswer.Content.ReadAsStringAsync());
        sessions.Add((await ApiClientExtensions.ReadTokensAsync(chunkedAnswer)).SessionId);
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.sessions WHERE id = ANY($1)", sessions.ToArray()),
            Is.EqualTo(Logins + 1), "every session answered was committed");
        Assert.That(output, Does.Not.Contain("Unhandled exception"));
    }

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

    [GeneratedRegex("\"session_id\":\"([0-9a-f-]{36})\"")]
    private static partial Regex SessionIdPattern();

    /// <summary>A connection that has had one request answered and is kept alive for the next.</summary>
    private static async Task<TcpClient> OpenIdleConnectionAsync(int port)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var answer = new StringBuilder();
        var buffer = new byte[4096];
        while (!answer.ToString().Contains("\r\n0\r\n\r\n", StringComparison.Ordinal) && !answer.ToString().EndsWith('}'))
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            Assert.That(read, Is.Positive, "the health answer arrives whole");
            answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        Assert.That(answer.ToString(), Does.StartWith("HTTP/1.1 200 "));
        return tcp;
    }

    /// <summary>Reads until the server closes the connection, within a bound.</summary>
    private static async Task WaitUntilClosedAsync(TcpClient connection)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[256];
        try
        {
            while (await connection.GetStream().ReadAsync(buffer, timeout.Token) > 0)
            {
            }
        }
        catch (IOException)
        {
            // Reset rather than closed: closed all the same.
        }
    }

    /// <summary>Polls until a new connection to the port is refused: the server has stopped listening.</summary>
    private static async Task WaitUntilConnectionsAreRefusedAsync(int port)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            using var probe = new TcpClient();
            try
            {
                await probe.ConnectAsync(IPAddress.Loopback, port);
            }
            catch (SocketException)
            {
                return;
            }

            Assert.That(deadline.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)), "new connections are refused after SIGTERM");
            await Task.Delay(20);
        }
    }

    /// <summary>
    /// A JSON body of unknown length (sent chunked) whose second half waits for <see cref="Release"/>.
    /// With <c>Expect: 100-continue</c> the client writes it only once the server asked for it, so
    /// <see cref="Started"/> means the request is in the application.
    /// </summary>
    private sealed class GatedContent : HttpContent
    {
        private readonly byte[] _body;
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public GatedContent(string json)
        {
            _body = Encoding.UTF8.GetBytes(json);
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        public Task Started => _started.Task;

        public void Release() => _released.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(_body.AsMemory(0, _body.Length / 2));
            await stream.FlushAsync();
            _started.TrySetResult();
            await _released.Task;
            await stream.WriteAsync(_body.AsMemory(_body.Length / 2));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
