using System.Net;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Foundation;

internal static class Preflight
{
    public static Task<HttpResponseMessage> SendAsync(HttpClient client, string origin, string path = "/v1/login", string method = "POST")
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return client.SendAsync(request);
    }

    public static string? AllowedOrigin(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? values.Single() : null;
}

/// <summary>With no allow-list configured, no origin gets CORS headers.</summary>
public sealed class CorsDefaultTests : ApiTestBase
{
    [Test]
    public async Task Without_an_allow_list_a_preflight_allows_no_origin()
    {
        var response = await Preflight.SendAsync(Client, "https://app.example.test");

        Assert.That(Preflight.AllowedOrigin(response), Is.Null);
    }

    [Test]
    public async Task Without_an_allow_list_a_cross_origin_request_gets_no_cors_headers()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/keys");
        request.Headers.Add("Origin", "https://app.example.test");

        var response = await Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Preflight.AllowedOrigin(response), Is.Null);
    }
}

/// <summary>Origins on the configured allow-list, and only those, may call the API from a browser.</summary>
public sealed class CorsAllowListTests : ApiTestBase
{
    private const string Allowed = "https://app.example.test";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Cors:AllowedOrigins:0"] = Allowed,
    };

    [Test]
    public async Task A_preflight_from_an_allowed_origin_is_answered_with_its_methods_and_headers()
    {
        var response = await Preflight.SendAsync(Client, Allowed, "/v1/users/me", "PATCH");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(Preflight.AllowedOrigin(response), Is.EqualTo(Allowed));
        Assert.That(string.Join(",", response.Headers.GetValues("Access-Control-Allow-Methods")), Does.Contain("PATCH"));
        Assert.That(string.Join(",", response.Headers.GetValues("Access-Control-Allow-Headers")).ToLowerInvariant(), Does.Contain("authorization"));
    }

    [Test]
    public async Task A_preflight_from_another_origin_is_not_allowed()
    {
        var response = await Preflight.SendAsync(Client, "https://evil.example.test");

        Assert.That(Preflight.AllowedOrigin(response), Is.Null);
    }

    [Test]
    public async Task An_allowed_origin_gets_cors_headers_on_errors_too()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/users/me");
        request.Headers.Add("Origin", Allowed);

        var response = await Client.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.That(Preflight.AllowedOrigin(response), Is.EqualTo(Allowed));
        Assert.That(string.Join(",", response.Headers.GetValues("Access-Control-Expose-Headers")), Does.Contain("WWW-Authenticate"));
    }
}
