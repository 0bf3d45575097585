using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Paseto.Auth.IntegrationTests.Posts;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Foundation;

/// <summary>A JSON body that cannot be read is a 400 that says what is wrong and where, and changes nothing.</summary>
public sealed class JsonBodyTests : ApiTestBase
{
    private const string LoneSurrogate = "x\\ud800y";

    private static readonly (string Method, string Path, string Body)[] _operations =
    [
        ("POST", "/v1/users/signup", """{"username":"bob","email":"bob@example.test","password":"correct horse battery staple","firstname":"Bob","referer_secret":"test-referer-secret","role":"member"}"""),
        ("POST", "/v1/login", """{"username":"alice","password":"correct horse battery staple","device_token":"abc"}"""),
        ("POST", "/v1/token/refresh", """{"refresh_token":"abc"}"""),
        ("PATCH", "/v1/users/me", """{"firstname":"Al","email":"al@example.test","username":"al","current_password":"correct horse battery staple"}"""),
        ("PUT", "/v1/users/me/password", """{"current_password":"correct horse battery staple","new_password":"another long passphrase"}"""),
        ("POST", "/v1/users/me/deactivate", """{"password":"correct horse battery staple"}"""),
        ("POST", "/v1/posts", """{"title":"A title","body":"A body"}"""),
        ("PATCH", "/v1/posts/1", """{"title":"A title","body":"A body"}"""),
        ("PATCH", "/v1/users/alice", """{"role":"member"}"""),
    ];

    /// <summary>Every string field of every body that is stored, hashed or compared.</summary>
    private static IEnumerable<TestCaseData> StringFields() =>
        from operation in _operations
        from field in JsonNode.Parse(operation.Body)!.AsObject().Select(p => p.Key)
        select new TestCaseData(operation.Method, operation.Path, operation.Body, field).SetArgDisplayNames(operation.Method, operation.Path, field);

    private async Task<string> AliceAsync()
    {
        var alice = await Client.MemberAsync("alice");
        await ScalarAsync<int>("UPDATE paseto_auth.users SET role = 'admin'");
        await Client.CreatePostOkAsync(alice.AccessToken, "Hello");
        return alice.AccessToken;
    }

    private Task<HttpResponseMessage> SendAsync(string method, string path, byte[] body, string? accessToken = null)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        return Client.SendAsync(request);
    }

    private Task<HttpResponseMessage> SendAsync(string method, string path, string body, string? accessToken = null) =>
        SendAsync(method, path, Encoding.UTF8.GetBytes(body), accessToken);

    /// <summary>Everything the API keeps, in one value: equal before and after means nothing changed.</summary>
    private Task<string?> StoredStateAsync() => ScalarAsync<string>("""
        SELECT md5(concat_ws('|',
            (SELECT string_agg(u::text, ',' ORDER BY u.id) FROM paseto_auth.users u),
            (SELECT string_agg(s.id::text || s.revoked_at::text, ',' ORDER BY s.id) FROM paseto_auth.sessions s),
            (SELECT string_agg(p::text, ',' ORDER BY p.id) FROM paseto_auth.posts p),
            (SELECT count(*) FROM paseto_auth.security_events)))
        """);

    private static async Task<string> SingleErrorAsync(HttpResponseMessage response, string key)
    {
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("type").GetString(), Is.EqualTo("/problems/validation"));
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { key }));
        return problem.GetProperty("errors").GetProperty(key)[0].GetString()!;
    }

    [TestCaseSource(nameof(StringFields))]
    public async Task A_lone_surrogate_escape_in_any_string_field_is_a_400_naming_it_and_changes_nothing(string method, string path, string body, string field)
    {
        var token = await AliceAsync();
        var json = JsonNode.Parse(body)!.AsObject();
        json[field] = "PLACEHOLDER";
        var before = await StoredStateAsync();

        var response = await SendAsync(method, path, json.ToJsonString().Replace("PLACEHOLDER", LoneSurrogate, StringComparison.Ordinal), token);

        Assert.That(await SingleErrorAsync(response, field), Does.Contain("not valid Unicode"));
        Assert.That(await StoredStateAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task A_lone_surrogate_in_a_nested_value_is_keyed_by_its_path()
    {
        var token = await AliceAsync();

        var response = await SendAsync("POST", "/v1/posts", """{"title":["ok",{"x":"\udc00"}]}""", token);

        Assert.That(await SingleErrorAsync(response, "title[1].x"), Does.Contain("not valid Unicode"));
    }

    [Test]
    public async Task Malformed_json_says_on_which_line_and_at_which_position()
    {
        var response = await SendAsync("POST", "/v1/login", "{\n  \"username\": \"zoë\",\n  \"password\": }");

        Assert.That(await SingleErrorAsync(response, "body"), Is.EqualTo("The body is not valid JSON (line 3, position 15)."));
    }

    [Test]
    public async Task The_position_counts_characters_not_bytes()
    {
        var response = await SendAsync("POST", "/v1/login", "{\"username\": \"zoë\" \"password\": \"x\"}");

        Assert.That(await SingleErrorAsync(response, "body"), Is.EqualTo("The body is not valid JSON (line 1, position 20)."));
    }

    [TestCase(new byte[] { 0xff })]
    [TestCase(new byte[] { 0xc3, 0x28 })]
    [TestCase(new byte[] { 0xc0, 0xae })]
    [TestCase(new byte[] { 0xed, 0xa0, 0x80 })]
    [TestCase(new byte[] { 0xf8, 0x88, 0x80, 0x80, 0x80 })]
    public async Task Bytes_that_are_not_utf8_are_a_400_saying_where(byte[] bad)
    {
        var token = await AliceAsync();
        var before = await StoredStateAsync();

        var inValue = await SendAsync("POST", "/v1/posts", [.. "{\"title\": \"ab"u8, .. bad, .. "\"}"u8], token);
        var inName = await SendAsync("POST", "/v1/posts", [.. "{\"title\": \"ab\",\n \"x"u8, .. bad, .. "\": 1}"u8], token);

        Assert.That(await SingleErrorAsync(inValue, "body"), Is.EqualTo("The body is not valid UTF-8 (line 1, position 14)."));
        Assert.That(await SingleErrorAsync(inName, "body"), Is.EqualTo("The body is not valid UTF-8 (line 2, position 4)."));
        Assert.That(await StoredStateAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task A_byte_order_mark_before_the_json_is_ignored()
    {
        await Client.SignupOkAsync("alice");

        var response = await SendAsync("POST", "/v1/login", [.. "\uFEFF"u8, .. """{"username":"alice","password":"correct horse battery staple"}"""u8]);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_value_of_the_wrong_type_still_names_its_field()
    {
        var response = await SendAsync("POST", "/v1/login", """{"username": ["alice"], "password": "x"}""");

        Assert.That(await SingleErrorAsync(response, "username"), Is.EqualTo("The value has the wrong type or format."));
    }

    [TestCase("""{"titel": "Hello"}""", "titel")]
    [TestCase("""{"title": "Hello", "Body": "x"}""", "Body")]
    [TestCase("""{"title": "Hello", "t\u0069tel": "x"}""", "titel")]
    [TestCase("""{"title": "Hello", "extra": {"body": "x"}}""", "extra")]
    [TestCase("""{"title": "Hello", "a.b": 1}""", "a.b")]
    public async Task An_unknown_member_is_a_400_naming_it_and_changes_nothing(string body, string unknown)
    {
        var token = await AliceAsync();
        var before = await StoredStateAsync();

        var response = await SendAsync("POST", "/v1/posts", body, token);

        Assert.That(await SingleErrorAsync(response, unknown), Is.EqualTo("This field is not known."));
        Assert.That(await StoredStateAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task A_member_the_server_sets_itself_is_unknown_to_clients()
    {
        var response = await SendAsync("POST", "/v1/users/signup",
            """{"username":"bob","email":"bob@example.test","password":"correct horse battery staple","firstname":"Bob","referer_secret":"test-referer-secret","client":{"ip":"10.0.0.1"}}""");

        Assert.That(await SingleErrorAsync(response, "client"), Is.EqualTo("This field is not known."));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.users"), Is.Zero);
    }
}
