using System.Net;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Foundation;

/// <summary>
/// <c>/account</c> serves the console's built files from <c>AccountConsole:Directory</c>: its page
/// for every page path, never cached, under a policy of its own that allows nothing inline and no
/// framing; its hashed files for a year, immutable; a missing file is a 404, not the page. The API's
/// own answers keep their stricter policy.
/// </summary>
public sealed class AccountConsoleTests : ApiTestBase
{
    private const string Page = "<!doctype html><title>console</title><script type=\"module\" src=\"/account/assets/index-Ab12Cd34.js\"></script>";
    private const string Script = "console.log('console');";
    private static readonly string _files = BuiltConsole();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["AccountConsole:Directory"] = _files,
    };

    private static string BuiltConsole()
    {
        var directory = Directory.CreateTempSubdirectory("paseto-auth-console-").FullName;
        Directory.CreateDirectory(Path.Combine(directory, "assets"));
        File.WriteAllText(Path.Combine(directory, "index.html"), Page);
        File.WriteAllText(Path.Combine(directory, "assets", "index-Ab12Cd34.js"), Script);
        return directory;
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : string.Empty;

    private static string[] Directives(HttpResponseMessage response) =>
        Header(response, "Content-Security-Policy").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    [TestCase("/account")]
    [TestCase("/account/")]
    [TestCase("/account/sessions")]
    [TestCase("/account/verify-email")]
    [TestCase("/account/reset-password/")]
    public async Task Every_page_path_gets_the_page_never_cached_under_the_consoles_policy(string path)
    {
        var response = await Client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.ToString(), Is.EqualTo("text/html; charset=utf-8"));
            Assert.That(body, Is.EqualTo(Page));
            Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
            Assert.That(Header(response, "X-Content-Type-Options"), Is.EqualTo("nosniff"));
            Assert.That(Header(response, "Referrer-Policy"), Is.EqualTo("no-referrer"));
            Assert.That(Header(response, "Cross-Origin-Opener-Policy"), Is.EqualTo("same-origin"));
        });
        var directives = Directives(response);
        Assert.Multiple(() =>
        {
            Assert.That(directives, Does.Contain("default-src 'none'"));
            Assert.That(directives, Does.Contain("script-src 'self'"), "scripts from the service only: no inline, no eval, no other host");
            Assert.That(directives, Does.Contain("style-src 'self'"));
            Assert.That(directives, Does.Contain("connect-src 'self'"));
            Assert.That(directives, Does.Contain("img-src 'self' data:"), "the enrolment's QR code is a data: SVG shown as an image");
            Assert.That(directives, Does.Contain("frame-ancestors 'none'"));
            Assert.That(directives, Does.Contain("base-uri 'none'"));
            Assert.That(directives, Does.Contain("require-trusted-types-for 'script'"));
            Assert.That(Header(response, "Content-Security-Policy"), Does.Not.Contain("unsafe").And.Not.Contain("http").And.Not.Contain("*"));
        });
    }

    [Test]
    public async Task A_hashed_file_is_cached_for_a_year_and_immutable()
    {
        var response = await Client.GetAsync("/account/assets/index-Ab12Cd34.js");

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo(Script));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/javascript"));
            Assert.That(Header(response, "Cache-Control"), Is.EqualTo("public, max-age=31536000, immutable"));
            Assert.That(Directives(response), Does.Contain("frame-ancestors 'none'"));
        });
    }

    [TestCase("/account/assets/index-00000000.js")]
    [TestCase("/account/assets/")]
    [TestCase("/account/favicon.ico")]
    [TestCase("/account/sessions.html")]
    public async Task A_file_that_is_not_there_is_a_404_problem_not_the_page(string path)
    {
        var response = await Client.GetAsync(path);

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(await response.Content.ReadAsStringAsync(), Does.Not.Contain("<title>"));
            Assert.That(response.Headers.CacheControl?.NoStore, Is.True, "a 404 is not cached for a year, or a later deploy's file would stay missing");
        });
    }

    [Test]
    public async Task The_page_answers_GET_and_HEAD_only()
    {
        using var head = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/account/profile"));
        using var post = await Client.PostAsync("/account/profile", new StringContent("x"));

        Assert.Multiple(() =>
        {
            Assert.That(head.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task The_api_next_to_it_keeps_its_own_strict_headers()
    {
        var response = await Client.GetAsync("/v1/users/me");

        Assert.Multiple(() =>
        {
            Assert.That(Header(response, "Content-Security-Policy"), Is.EqualTo("default-src 'none'; frame-ancestors 'none'"));
            Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
            Assert.That(response.Headers.Contains("Cross-Origin-Opener-Policy"), Is.False);
        });
    }

    [Test]
    public async Task A_path_that_only_begins_like_the_console_is_not_the_console()
    {
        var response = await Client.GetAsync("/accounts");

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(Header(response, "Content-Security-Policy"), Is.EqualTo("default-src 'none'; frame-ancestors 'none'"));
        });
    }
}

/// <summary>Without the built files <c>/account</c> is a 404, and the service runs on.</summary>
public sealed class AccountConsoleAbsentTests : ApiTestBase
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["AccountConsole:Directory"] = Path.Combine(Path.GetTempPath(), "paseto-auth-no-console-" + Guid.NewGuid().ToString("N")),
    };

    [Test]
    public async Task Account_is_a_404_problem_and_the_api_answers()
    {
        var console = await Client.GetAsync("/account/");
        var health = await Client.GetAsync("/health/live");

        Assert.Multiple(() =>
        {
            Assert.That(console.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(console.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }
}
