using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry.Trace;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Telemetry;

/// <summary>
/// Traces and OTLP export: the host runs with <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> pointing at a
/// receiver on loopback (<see cref="OtlpReceiver"/>, real OTLP/HTTP protobuf), and with the SDK's
/// in-memory exporter beside it so a test can read every span's attributes.
/// </summary>
public sealed class TracingTests
{
    private const string Username = "qz9traced";
    private const string Password = "qz9 a distinctive passphrase";

    private readonly List<Activity> _spans = [];
    private OtlpReceiver _receiver = null!;
    private ApiFactory _factory = null!;
    private WebApplicationFactory<Program> _host = null!;
    private HttpClient _client = null!;
    private string _databasePassword = null!;

    [OneTimeSetUp]
    public async Task StartHost()
    {
        _receiver = await OtlpReceiver.StartAsync();
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        _databasePassword = new NpgsqlConnectionStringBuilder(connectionString).Password!;
        _factory = new ApiFactory(connectionString, new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _receiver.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            // Short batches and export intervals, so what the test did arrives while it waits.
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
        });
        _host = _factory.WithWebHostBuilder(builder => builder.ConfigureServices(services =>
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(_spans))));
        _client = _host.CreateClient();
    }

    [OneTimeTearDown]
    public async Task StopHost()
    {
        _client.Dispose();
        await _host.DisposeAsync();
        await _factory.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    private Activity[] Spans()
    {
        // The in-memory exporter is fed by a batch processor: flush it before reading.
        _host.Services.GetRequiredService<TracerProvider>().ForceFlush();
        lock (_spans)
        {
            return [.. _spans];
        }
    }

    private static IEnumerable<string> Values(Activity span) =>
        span.TagObjects.Select(t => Convert.ToString(t.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "")
            .Append(span.DisplayName).Append(span.OperationName);

    [Test]
    public async Task A_request_span_keeps_the_route_and_drops_the_query_string()
    {
        var tokens = await _client.MemberAsync("querying");

        var response = await _client.GetAsync("/v1/posts?limit=5&cursor=qz9QUERYVALUE&token=qz9TOKENVALUE", tokens.AccessToken);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest).Or.EqualTo(HttpStatusCode.OK));
        var server = Spans().Single(s => s.Kind == ActivityKind.Server && s.GetTagItem("url.path") as string == "/v1/posts");
        Assert.Multiple(() =>
        {
            Assert.That(server.GetTagItem("http.route"), Is.EqualTo("v1/posts"));
            Assert.That(server.GetTagItem("url.query"), Is.Null);
            Assert.That(Values(server), Has.None.Contain("qz9"));
        });
    }

    [Test]
    public async Task Database_spans_carry_statements_without_values_and_no_span_carries_a_secret()
    {
        await _client.SignupOkAsync(Username, "qz9traced@example.org", Password);
        var tokens = await _client.LoginOkAsync(Username, Password);
        Assert.That((await _client.GetAsync("/v1/users/me", tokens.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await _client.PostAsJsonAsync("/v1/token/refresh", new { refresh_token = tokens.RefreshToken });

        var spans = Spans();

        var database = spans.Where(s => s.Source.Name == "Npgsql").ToList();
        Assert.That(database, Is.Not.Empty, "every command is a span");
        Assert.That(database.Select(s => s.GetTagItem("db.query.text") ?? s.GetTagItem("db.statement")).OfType<string>(), Has.Some.Contains("$1"),
            "the statements are there, with placeholders");
        Assert.Multiple(() =>
        {
            foreach (var secret in new[] { "qz9", _databasePassword, tokens.AccessToken[^24..], tokens.RefreshToken[..16], tokens.SessionId.ToString() })
            {
                Assert.That(spans.SelectMany(Values), Has.None.Contain(secret), "no span attribute holds a value the client sent or the database password");
            }
        });
    }

    [Test]
    public async Task A_problem_names_the_trace_its_request_span_belongs_to()
    {
        var response = await _client.LoginAsync("qz9-nobody");

        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        var traceId = problem.GetProperty("trace_id").GetString()!.Split('-')[1];
        Assert.That(Spans().Where(s => s.Kind == ActivityKind.Server).Select(s => s.TraceId.ToHexString()), Does.Contain(traceId));
    }

    [Test]
    public async Task Spans_and_metrics_reach_an_otlp_receiver()
    {
        await _client.MemberAsync("exported");

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline
            && !(_receiver.Spans.Any(s => s.Kind == 2 && s.Name.Contains("v1/login", StringComparison.Ordinal))
                && _receiver.MetricNames.Contains("paseto_auth.logins")))
        {
            await Task.Delay(200);
        }

        Assert.Multiple(() =>
        {
            Assert.That(_receiver.Spans.Where(s => s.Kind == 2).Select(s => s.Name), Has.Some.Contains("v1/login"), "a server span of the login");
            Assert.That(_receiver.Spans.Where(s => s.Kind == 3).Select(s => s.Attributes.GetValueOrDefault("db.system.name") ?? s.Attributes.GetValueOrDefault("db.system")),
                Has.Some.EqualTo("postgresql"), "a client span of a database command");
            Assert.That(_receiver.MetricNames, Does.Contain("paseto_auth.logins").And.Contain("http.server.request.duration"));
            Assert.That(_receiver.ResourceAttributes.GetValueOrDefault("service.name"), Is.EqualTo("paseto-auth"));
            Assert.That(_receiver.ContentTypes, Has.All.EqualTo("application/x-protobuf"));
        });
    }
}
