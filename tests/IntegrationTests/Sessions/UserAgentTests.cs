using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Sessions;

/// <summary>
/// The User-Agent is the client's text, stored on sessions, devices and events and cut at 512
/// UTF-16 units: the cut must fall between characters, never inside a surrogate pair, which
/// PostgreSQL cannot store.
/// </summary>
public sealed class UserAgentTests : ApiTestBase
{
    // 511 units, then a character of two: a cut at 512 units would keep half of it.
    private static readonly string _longAgent = new string('a', 511) + "\U0001F600 and more after it";
    private static readonly string _keptAgent = new('a', 511);

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body, string? accessToken = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.TryAddWithoutValidation("User-Agent", _longAgent);
        if (accessToken is not null)
        {
            request.Headers.Authorization = new("Bearer", accessToken);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return Client.SendAsync(request);
    }

    [Test]
    public async Task Every_row_that_keeps_the_user_agent_cuts_it_between_characters()
    {
        var signup = await SendAsync(HttpMethod.Post, "/v1/users/signup", ApiClientExtensions.SignupBody("alice"));
        var wrong = await SendAsync(HttpMethod.Post, "/v1/login", new { username = "alice", password = "not the password at all" });
        var unknown = await SendAsync(HttpMethod.Post, "/v1/login", new { username = "nobody", password = "not the password at all" });
        var login = await SendAsync(HttpMethod.Post, "/v1/login", new { username = "alice", password = ApiClientExtensions.Password });
        var tokens = await ApiClientExtensions.ReadTokensAsync(login);
        var refresh = await SendAsync(HttpMethod.Post, "/v1/token/refresh", new { refresh_token = tokens.RefreshToken });
        var changed = await SendAsync(HttpMethod.Patch, "/v1/users/me", new { firstname = "Alicia" }, tokens.AccessToken);
        var events = await Client.GetAsync("/v1/users/me/events", tokens.AccessToken);

        Assert.That(signup.StatusCode, Is.EqualTo(HttpStatusCode.Created), await signup.Content.ReadAsStringAsync());
        Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), await wrong.Content.ReadAsStringAsync());
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.OK), await login.Content.ReadAsStringAsync());
        Assert.That(refresh.StatusCode, Is.EqualTo(HttpStatusCode.OK), await refresh.Content.ReadAsStringAsync());
        Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var history = await events.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(
            history.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("user_agent").GetString()),
            Is.Not.Empty.And.All.EqualTo(_keptAgent));
        Assert.That(await ScalarAsync<string>("SELECT user_agent FROM paseto_auth.sessions"), Is.EqualTo(_keptAgent));
        Assert.That(await ScalarAsync<string>("SELECT user_agent FROM paseto_auth.devices"), Is.EqualTo(_keptAgent));
    }

    [Test]
    public async Task A_user_agent_sent_as_utf8_bytes_on_the_wire_does_not_break_login()
    {
        await using var api = ApiFactory.OnSocket(Factory.ConnectionString);
        using (var client = api.CreateClient())
        {
            await client.SignupOkAsync("alice");
        }

        var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { username = "alice", password = ApiClientExtensions.Password }));
        var head = Encoding.ASCII.GetBytes("POST /v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\n" +
            $"Content-Length: {body.Length}\r\nUser-Agent: ");
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, api.Port);
        var stream = tcp.GetStream();
        byte[] request = [.. head, .. Encoding.UTF8.GetBytes(_longAgent), .. "\r\n\r\n"u8.ToArray(), .. body];
        await stream.WriteAsync(request);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var answer = await reader.ReadToEndAsync();

        Assert.That(answer, Does.StartWith("HTTP/1.1 200 "), answer);
        Assert.That(await ScalarAsync<string>("SELECT user_agent FROM paseto_auth.sessions"), Is.EqualTo(_keptAgent));
    }
}
