using System.Text;
using System.Text.Json;
using Paseto.Auth.IntegrationTests.Posts;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Foundation;

/// <summary>
/// Bytes a client can put in a request that HttpClient would not send, over a real socket: each
/// is answered by the API, with the operation's result or a problem, never a 500 or the server's
/// bare refusal, wherever HTTP lets the API see them.
/// </summary>
public sealed class RequestBytesTests : ApiTestBase
{
    private ApiFactory _socket = null!;
    private HttpClient _client = null!;

    private int Port => _socket.Port;

    [OneTimeSetUp]
    public void StartSocketHost()
    {
        // The loopback peer is a known proxy, so X-Forwarded-For is read, not skipped.
        _socket = ApiFactory.OnSocket(Factory.ConnectionString, new Dictionary<string, string?> { ["Network:KnownProxies:0"] = "127.0.0.1" });
        _client = _socket.CreateClient();
    }

    [OneTimeTearDown]
    public async Task StopSocketHost()
    {
        _client.Dispose();
        await _socket.DisposeAsync();
    }

    private static string Login(string headers = "") =>
        $"POST /v1/login HTTP/1.1\r\nContent-Type: application/json\r\n{headers}";

    private static byte[] LoginBody => Encoding.UTF8.GetBytes($$"""{"username":"alice","password":"{{ApiClientExtensions.Password}}"}""");

    private static void AssertProblem(RawHttpAnswer answer, int status)
    {
        Assert.That(answer.Status, Is.EqualTo(status), answer.Body);
        Assert.That(answer.ContentType, Is.EqualTo("application/problem+json"), answer.Body);
        Assert.That(JsonDocument.Parse(answer.Body).RootElement.GetProperty("status").GetInt32(), Is.EqualTo(status));
    }

    [TestCase("Bearer \u00ff\u00fe")]
    [TestCase("Bearer v4.local.\u00e9\u00e9\u00e9")]
    [TestCase("B\u00e9arer abc")]
    [TestCase("Bearer \u00c3\u00a9")]
    public async Task Bytes_above_0x7f_in_authorization_are_the_invalid_token_401(string authorization)
    {
        var answer = await RawHttp.SendAsync(Port, $"GET /v1/users/me HTTP/1.1\r\nAuthorization: {authorization}");

        AssertProblem(answer, 401);
        Assert.That(JsonDocument.Parse(answer.Body).RootElement.GetProperty("type").GetString(), Is.EqualTo("/problems/invalid-token"));
        Assert.That(answer.Headers["www-authenticate"], Does.StartWith("Bearer error=\"invalid_token\""));
    }

    [Test]
    public async Task A_real_token_with_a_byte_above_0x7f_after_it_is_refused()
    {
        var tokens = await _client.MemberAsync("alice");

        var answer = await RawHttp.SendAsync(Port, $"GET /v1/users/me HTTP/1.1\r\nAuthorization: Bearer {tokens.AccessToken}\u00e9");

        AssertProblem(answer, 401);
    }

    [Test]
    public async Task A_user_agent_keeps_utf8_as_utf8_and_any_other_byte_as_latin1()
    {
        await _client.SignupOkAsync("alice");

        // "café" twice: in UTF-8 (C3 A9), then in Latin-1 (E9, not UTF-8 on its own).
        var answer = await RawHttp.SendAsync(Port, Login("User-Agent: caf\u00c3\u00a9 caf\u00e9 \u00ff"), LoginBody);

        Assert.That(answer.Status, Is.EqualTo(200), answer.Body);
        Assert.That(await ScalarAsync<string>("SELECT user_agent FROM paseto_auth.sessions"), Is.EqualTo("café café ÿ"));
    }

    [Test]
    public async Task A_user_agent_cut_to_its_limit_keeps_whole_characters()
    {
        await _client.SignupOkAsync("alice");

        // 511 characters, then one that takes two UTF-16 units: cut at 512 units it would be half a character.
        var answer = await RawHttp.SendAsync(Port, Login("User-Agent: " + new string('a', 511) + "\u00f0\u009f\u0098\u0080"), LoginBody);

        Assert.That(answer.Status, Is.EqualTo(200), answer.Body);
        Assert.That(await ScalarAsync<string>("SELECT user_agent FROM paseto_auth.sessions"), Is.EqualTo(new string('a', 511)));
        Assert.That(await ScalarAsync<string>("SELECT user_agent FROM paseto_auth.security_events WHERE type = 'login_succeeded'"), Is.EqualTo(new string('a', 511)));
    }

    [TestCase("\"\u00ff\"", 412)]
    [TestCase("\"1-1\u00e9\"", 412)]
    [TestCase("\u00ff", 400)]
    public async Task If_match_with_bytes_above_0x7f_is_a_problem_and_changes_nothing(string ifMatch, int status)
    {
        var tokens = await _client.MemberAsync("alice");
        var id = (await _client.CreatePostOkAsync(tokens.AccessToken, "Hello")).Id();
        var body = Encoding.UTF8.GetBytes("""{"title":"Changed"}""");

        var answer = await RawHttp.SendAsync(Port, $"PATCH /v1/posts/{id} HTTP/1.1\r\nAuthorization: Bearer {tokens.AccessToken}\r\nContent-Type: application/json\r\nIf-Match: {ifMatch}", body);

        AssertProblem(answer, status);
        Assert.That(await ScalarAsync<string>("SELECT title FROM paseto_auth.posts"), Is.EqualTo("Hello"));
    }

    [TestCase("\u00ff\u00fe")]
    [TestCase("10.0.0.1\u00e9")]
    [TestCase("10.0.0.2, \u00c3\u00a9")]
    public async Task X_forwarded_for_with_bytes_above_0x7f_from_a_known_proxy_is_not_believed(string forwarded)
    {
        await _client.SignupOkAsync("alice");

        var answer = await RawHttp.SendAsync(Port, Login($"X-Forwarded-For: {forwarded}"), LoginBody);

        Assert.That(answer.Status, Is.EqualTo(200), answer.Body);
        Assert.That(await ScalarAsync<string>("SELECT host(ip) FROM paseto_auth.sessions"), Is.EqualTo("127.0.0.1"));
    }

    [TestCase("Accept: \u00ff/\u00fe")]
    [TestCase("Accept-Language: \u00e9\u00e9")]
    [TestCase("Origin: http://\u00e9.example")]
    [TestCase("Content-Type: application/json; charset=\u00ff")]
    [TestCase("Content-Type: \u00ff")]
    [TestCase("Cookie: a=\u00ff")]
    public async Task Bytes_above_0x7f_in_other_headers_are_answered_by_the_api(string header)
    {
        await _client.SignupOkAsync("alice");

        var answer = await RawHttp.SendAsync(Port, $"POST /v1/login HTTP/1.1\r\n{(header.StartsWith("Content-Type", StringComparison.Ordinal) ? "" : "Content-Type: application/json\r\n")}{header}", LoginBody);

        Assert.That(answer.Status, Is.AnyOf(200, 415), answer.Body);
        if (answer.Status != 200)
        {
            AssertProblem(answer, answer.Status);
        }
    }

    [TestCase("/v1/users/%FF")]
    [TestCase("/v1/users/%C0%AE%C0%AE")]
    [TestCase("/v1/users/%E0%80%AF")]
    [TestCase("/v1/users/%ED%A0%80")]
    [TestCase("/v1/users/%F4%90%80%80")]
    [TestCase("/v1/users/..%2F..%2Fetc")]
    [TestCase("/v1/posts/%FF")]
    public async Task Percent_encoded_bytes_that_are_not_utf8_in_the_path_are_a_404(string path)
    {
        var tokens = await _client.MemberAsync("alice");

        var answer = await RawHttp.SendAsync(Port, $"GET {path} HTTP/1.1\r\nAuthorization: Bearer {tokens.AccessToken}");

        AssertProblem(answer, 404);
    }

    [TestCase("/v1/posts?author=%FF", 200)]
    [TestCase("/v1/posts?author=%C0%AE", 200)]
    [TestCase("/v1/posts?cursor=%ED%A0%80", 400)]
    [TestCase("/v1/posts?limit=%FF", 400)]
    [TestCase("/v1/users/me/events?type=%E0%80%AF", 400)]
    [TestCase("/v1/posts?%FF=1", 200)]
    public async Task Percent_encoded_bytes_that_are_not_utf8_in_the_query_are_read_or_refused_with_a_problem(string pathAndQuery, int status)
    {
        var tokens = await _client.MemberAsync("alice");

        var answer = await RawHttp.SendAsync(Port, $"GET {pathAndQuery} HTTP/1.1\r\nAuthorization: Bearer {tokens.AccessToken}");

        if (status == 200)
        {
            Assert.That(answer.Status, Is.EqualTo(200), answer.Body);
        }
        else
        {
            AssertProblem(answer, status);
        }
    }

    [TestCase("GET /v1/users/\u00ff HTTP/1.1")]
    [TestCase("GET /v1/posts?author=\u00e9 HTTP/1.1")]
    [TestCase("GET /v1/keys HTTP/1.1\r\nUser-Agent: a\u0000b")]
    public async Task Bytes_http_forbids_are_refused_by_the_server_before_the_api(string head)
    {
        // A request target is printable ASCII (RFC 9112 §3.2) and a field value holds no NUL
        // (RFC 9110 §5.5): the server answers 400 itself, and goes on answering.
        var answer = await RawHttp.SendAsync(Port, head);

        Assert.That(answer.Status, Is.EqualTo(400), answer.Body);
        var keys = await RawHttp.SendAsync(Port, "GET /v1/keys HTTP/1.1");
        Assert.That(keys.Status, Is.EqualTo(200), "the server still answers");
    }

    [Test]
    public async Task Control_characters_the_server_lets_through_are_kept_as_sent()
    {
        await _client.SignupOkAsync("alice");

        var answer = await RawHttp.SendAsync(Port, Login("User-Agent: a\u0001b\u0008c\u007fd"), LoginBody);

        Assert.That(answer.Status, Is.EqualTo(200), answer.Body);
        Assert.That(await ScalarAsync<string>("SELECT user_agent FROM paseto_auth.sessions"), Is.EqualTo("a\u0001b\u0008c\u007fd"));
    }
}
