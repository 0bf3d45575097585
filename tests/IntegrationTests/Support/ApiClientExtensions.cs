using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Paseto.Auth.IntegrationTests.Support;

public sealed record Tokens(string AccessToken, string RefreshToken, Guid SessionId, string? DeviceToken, int ExpiresIn, int RefreshExpiresIn);

/// <summary>The calls most tests make, over real HTTP.</summary>
public static class ApiClientExtensions
{
    public const string RefererSecret = "test-referer-secret";
    public const string Password = "correct horse battery staple";

    public static object SignupBody(string username, string? email = null, string password = Password, string? secret = RefererSecret, string? role = null) => new
    {
        username,
        email = email ?? $"{username}@example.test",
        password,
        firstname = "Test",
        referer_secret = secret,
        role,
    };

    public static Task<HttpResponseMessage> SignupAsync(this HttpClient client, string username, string? email = null, string password = Password, string? secret = RefererSecret) =>
        client.PostAsJsonAsync("/v1/users/signup", SignupBody(username, email, password, secret));

    /// <summary>Signs up as a client at <paramref name="ip"/> (see <see cref="LoginFromAsync"/>).</summary>
    public static Task<HttpResponseMessage> SignupFromAsync(this HttpClient client, string ip, string username)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/users/signup") { Content = JsonContent.Create(SignupBody(username)) };
        request.Headers.Add(TestClientAddress.Header, ip);
        return client.SendAsync(request);
    }

    public static async Task<JsonElement> SignupOkAsync(this HttpClient client, string username, string? email = null, string password = Password)
    {
        var response = await client.SignupAsync(username, email, password);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static Task<HttpResponseMessage> LoginAsync(this HttpClient client, string username, string password = Password, string? deviceToken = null) =>
        client.PostAsJsonAsync("/v1/login", new { username, password, device_token = deviceToken });

    /// <summary>Logs in as a client at <paramref name="ip"/>: the test host takes the address from <see cref="TestClientAddress.Header"/>.</summary>
    public static Task<HttpResponseMessage> LoginFromAsync(this HttpClient client, string ip, string username, string password = Password, string? deviceToken = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/login")
        {
            Content = JsonContent.Create(new { username, password, device_token = deviceToken }),
        };
        request.Headers.Add(TestClientAddress.Header, ip);
        return client.SendAsync(request);
    }

    public static async Task<Tokens> LoginOkAsync(this HttpClient client, string username, string password = Password, string? deviceToken = null)
    {
        var response = await client.LoginAsync(username, password, deviceToken);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await ReadTokensAsync(response);
    }

    public static async Task<Tokens> ReadTokensAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new Tokens(
            body.GetProperty("access_token").GetString()!,
            body.GetProperty("refresh_token").GetString()!,
            body.GetProperty("session_id").GetGuid(),
            body.TryGetProperty("device_token", out var device) && device.ValueKind == JsonValueKind.String ? device.GetString() : null,
            body.GetProperty("expires_in").GetInt32(),
            body.GetProperty("refresh_expires_in").GetInt32());
    }

    /// <summary>Signs up and logs in a member; returns their tokens.</summary>
    public static async Task<Tokens> MemberAsync(this HttpClient client, string username)
    {
        await client.SignupOkAsync(username);
        return await client.LoginOkAsync(username);
    }

    public static Task<HttpResponseMessage> SendAsync(this HttpClient client, HttpMethod method, string path, string? accessToken, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> GetAsync(this HttpClient client, string path, string accessToken) =>
        client.SendAsync(HttpMethod.Get, path, accessToken);

    /// <summary>Asserts an RFC 9457 problem with the given status and returns it.</summary>
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), text);
        var problem = JsonSerializer.Deserialize<JsonElement>(text);
        Assert.Multiple(() =>
        {
            Assert.That(problem.GetProperty("status").GetInt32(), Is.EqualTo((int)status));
            Assert.That(problem.GetProperty("type").GetString(), Is.Not.Empty);
            Assert.That(problem.GetProperty("title").GetString(), Is.Not.Empty);
            Assert.That(problem.GetProperty("detail").GetString(), Is.Not.Empty);
            Assert.That(problem.GetProperty("trace_id").GetString(), Is.Not.Empty);
        });
        return problem;
    }

    public static string[] ErrorFields(this JsonElement problem) =>
        [.. problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];
}
