using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using Paseto.Auth.Api.Hosting;
using Paseto.Auth.IntegrationTests.Mfa;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Telemetry;

/// <summary>
/// The Prometheus scrape endpoint, read over real HTTP on its own port while the API answers on
/// a real socket of its own: the service's counters move as people log in, the framework's,
/// Kestrel's, the runtime's and Npgsql's metrics are there, and no label names a person.
/// </summary>
public sealed partial class MetricsTests
{
    private ApiFactory _factory = null!;
    private HttpClient _api = null!;
    private HttpClient _scraper = null!;
    private string _metricsUrl = null!;

    [OneTimeSetUp]
    public async Task StartHost()
    {
        _factory = ApiFactory.OnSocket(await TestPostgres.CreateDatabaseAsync(), new Dictionary<string, string?>
        {
            ["Metrics:Enabled"] = "true",
            // Any free port: fixtures and runs on this machine must not collide on 9464.
            ["Metrics:Port"] = "0",
        });
        _api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_factory.Port}") };
        _scraper = new HttpClient();
        _metricsUrl = _factory.Services.GetRequiredService<MetricsServer>().Url!;
    }

    [OneTimeTearDown]
    public async Task StopHost()
    {
        _api.Dispose();
        _scraper.Dispose();
        await _factory.DisposeAsync();
    }

    private Task<PrometheusScrape> ScrapeAsync() => PrometheusScrape.FetchAsync(_scraper, _metricsUrl);

    [Test]
    public async Task A_scrape_after_logins_shows_the_login_counters_moved()
    {
        await _api.SignupOkAsync("counted");
        var before = await ScrapeAsync();

        var tokens = await _api.LoginOkAsync("counted");
        Assert.That((await _api.LoginAsync("counted", "not the right passphrase")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await _api.LoginAsync("nobody-has-this-name")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await _api.GetAsync("/v1/users/me", tokens.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var after = await ScrapeAsync();

        double Moved(string name, params (string, string)[] labels) => after.Value(name, labels) - before.Value(name, labels);
        Assert.Multiple(() =>
        {
            Assert.That(Moved("paseto_auth_logins_total", ("outcome", "success")), Is.EqualTo(1));
            // An unknown name is counted with the wrong passwords: one answer, one count.
            Assert.That(Moved("paseto_auth_logins_total", ("outcome", "wrong_password")), Is.EqualTo(2));
            Assert.That(Moved("paseto_auth_sessions_started_total"), Is.EqualTo(1));
            Assert.That(Moved("paseto_auth_password_hashing_duration_seconds_count"), Is.EqualTo(3), "one Argon2id computation per login, unknown name too");
            Assert.That(Moved("paseto_auth_password_hashing_queue_duration_seconds_count"), Is.EqualTo(3));
            Assert.That(Moved("paseto_auth_session_check_duration_seconds_count", ("result", "valid")), Is.EqualTo(1));
            Assert.That(Moved("http_server_request_duration_seconds_count", ("http_route", "v1/login"), ("http_response_status_code", "401")), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task A_password_step_that_asks_for_the_second_factor_counts_as_mfa_required()
    {
        var tokens = await _api.MemberAsync("two-step");
        var enrolled = await _api.SendAsync(HttpMethod.Post, "/v1/users/me/mfa/totp", tokens.AccessToken, new { password = ApiClientExtensions.Password });
        var app = new Authenticator((await enrolled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!);
        var confirmed = await _api.SendAsync(HttpMethod.Post, "/v1/users/me/mfa/totp/confirm", tokens.AccessToken, new { code = app.CodeAt(DateTimeOffset.UtcNow) });
        Assert.That(confirmed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await confirmed.Content.ReadAsStringAsync());
        var before = await ScrapeAsync();

        var passwordStep = await _api.LoginAsync("two-step");
        var after = await ScrapeAsync();

        Assert.That(passwordStep.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(after.Value("paseto_auth_logins_total", ("outcome", "mfa_required")) - before.Value("paseto_auth_logins_total", ("outcome", "mfa_required")), Is.EqualTo(1));
        Assert.That(after.Value("paseto_auth_logins_total", ("outcome", "success")) - before.Value("paseto_auth_logins_total", ("outcome", "success")), Is.Zero, "no session yet");
    }

    [Test]
    public async Task Refresh_outcomes_and_revocations_are_counted_by_outcome_and_reason()
    {
        var tokens = await _api.MemberAsync("refresher");
        var before = await ScrapeAsync();

        var rotated = await _api.PostAsJsonAsync("/v1/token/refresh", new { refresh_token = tokens.RefreshToken });
        var fresh = await ApiClientExtensions.ReadTokensAsync(rotated);
        var reused = await _api.PostAsJsonAsync("/v1/token/refresh", new { refresh_token = tokens.RefreshToken });
        var garbage = await _api.PostAsJsonAsync("/v1/token/refresh", new { refresh_token = "not-a-refresh-token" });
        var second = await _api.LoginOkAsync("refresher");
        var logout = await _api.SendAsync(HttpMethod.Post, "/v1/logout", second.AccessToken);
        var after = await ScrapeAsync();

        Assert.That((reused.StatusCode, garbage.StatusCode, logout.StatusCode), Is.EqualTo((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.NoContent)));
        Assert.That(fresh.SessionId, Is.EqualTo(tokens.SessionId));
        double Moved(string name, params (string, string)[] labels) => after.Value(name, labels) - before.Value(name, labels);
        Assert.Multiple(() =>
        {
            Assert.That(Moved("paseto_auth_token_refreshes_total", ("outcome", "rotated")), Is.EqualTo(1));
            Assert.That(Moved("paseto_auth_token_refreshes_total", ("outcome", "reuse_detected")), Is.EqualTo(1));
            Assert.That(Moved("paseto_auth_token_refreshes_total", ("outcome", "invalid")), Is.EqualTo(1));
            Assert.That(Moved("paseto_auth_sessions_revoked_total", ("reason", "refresh_token_reuse")), Is.EqualTo(1));
            Assert.That(Moved("paseto_auth_sessions_revoked_total", ("reason", "logout")), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task No_label_names_a_username_an_address_or_an_email()
    {
        const string username = "qx7label.person";
        const string email = "qx7label.mail@example.org";
        const string address = "198.51.100.77";
        var signup = new HttpRequestMessage(HttpMethod.Post, "/v1/users/signup") { Content = JsonContent.Create(ApiClientExtensions.SignupBody(username, email)) };
        signup.Headers.Add(TestClientAddress.Header, address);
        Assert.That((await _api.SendAsync(signup)).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var login = await _api.LoginFromAsync(address, username);
        var tokens = await ApiClientExtensions.ReadTokensAsync(login);
        await _api.LoginFromAsync(address, email, "a wrong passphrase here");
        await _api.LoginFromAsync(address, "qx7label.nobody");
        await _api.GetAsync($"/v1/users/{username}", tokens.AccessToken);
        await _api.GetAsync($"/v1/users/me?q={email}", tokens.AccessToken);

        var scrape = await ScrapeAsync();

        Assert.That(scrape.Value("paseto_auth_logins_total", ("outcome", "success")), Is.Positive, "the logins were counted");
        Assert.Multiple(() =>
        {
            foreach (var personal in new[] { "qx7label", address, "example.org", tokens.SessionId.ToString(), tokens.AccessToken[..24] })
            {
                Assert.That(scrape.Text, Does.Not.Contain(personal));
            }
        });
    }

    [Test]
    public async Task The_api_port_does_not_serve_metrics_and_the_metrics_port_serves_nothing_else()
    {
        var onApi = await _api.GetAsync("/metrics");
        var other = await _scraper.GetAsync(new Uri(new Uri(_metricsUrl), "/v1/users/me"));

        Assert.That(onApi.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(new Uri(_metricsUrl).Host, Is.EqualTo("127.0.0.1"), "loopback unless Metrics:Address says otherwise");
    }

    [Test]
    public async Task Every_metric_the_dashboard_uses_appears_in_a_scrape()
    {
        var tokens = await _api.MemberAsync("dashboard");
        await _api.GetAsync("/v1/users/me", tokens.AccessToken);
        await _api.PostAsJsonAsync("/v1/token/refresh", new { refresh_token = tokens.RefreshToken });
        await _api.SendAsync(HttpMethod.Post, "/v1/logout", tokens.AccessToken);
        var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(TestPostgres.RepositoryRoot(), "docs", "grafana-dashboard.json")));
        var used = Expressions(dashboard.RootElement).SelectMany(e => MetricSelector().Matches(e).Select(m => m.Groups[1].Value)).ToHashSet(StringComparer.Ordinal);

        // The outbox gauge reports from its first count on, which the first read starts.
        var scrape = await ScrapeAsync();
        for (var attempt = 0; attempt < 50 && !scrape.Names.Contains("paseto_auth_mail_outbox_depth"); attempt++)
        {
            await Task.Delay(100);
            scrape = await ScrapeAsync();
        }

        Assert.That(used, Has.Count.GreaterThan(15), "the dashboard's queries were read");
        Assert.That(used.Except(scrape.Names), Is.Empty, "metrics the dashboard asks for that no scrape has");
        Assert.That(scrape.Samples.Where(s => s.Name == "db_client_connection_count").Select(s => s.Labels.GetValueOrDefault("db_client_connection_state")), Has.Some.EqualTo("idle"));
    }

    private static IEnumerable<string> Expressions(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => p.Name == "expr" ? [p.Value.GetString()!] : Expressions(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Expressions),
        _ => [],
    };

    [GeneratedRegex(@"\b([a-z_:][a-z0-9_:]*)\{")]
    private static partial Regex MetricSelector();

    [Test]
    public async Task Without_metrics_or_an_otlp_endpoint_no_meter_provider_runs()
    {
        await using var plain = new ApiFactory(_factory.ConnectionString);
        using var client = plain.CreateClient();

        Assert.That(plain.Services.GetService<MeterProvider>(), Is.Null);
        Assert.That(plain.Services.GetService<MetricsServer>(), Is.Null);
        Assert.That((await client.GetAsync("/metrics")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
