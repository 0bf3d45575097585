using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Foundation;

/// <summary>Bodies are read in UTF-8 only; any other charset is a 415 that says what to send.</summary>
public sealed class BodyEncodingTests : ApiTestBase
{
    private const string Login = """{"username":"alice","password":"correct horse battery staple"}""";
    private const string Form = "grant_type=password&username=alice&password=correct+horse+battery+staple";

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, byte[] body, string contentType, string? accessToken = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        return Client.SendAsync(request);
    }

    private static async Task AssertUnsupportedAsync(HttpResponseMessage response, string expected)
    {
        var problem = await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.That(problem.GetProperty("type").GetString(), Is.EqualTo("/problems/unsupported-media-type"));
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain(expected));
    }

    [TestCase("POST", "/v1/login", Login)]
    [TestCase("POST", "/v1/token/refresh", """{"refresh_token":"abc"}""")]
    [TestCase("PUT", "/v1/users/me/password", """{"current_password":"correct horse battery staple","new_password":"another long passphrase"}""")]
    public async Task Json_declared_as_utf16_is_a_415_naming_utf8_whatever_the_bytes(string method, string path, string json)
    {
        var tokens = await Client.MemberAsync("alice");

        // UTF-8 bytes (an odd count here fails to transcode), and real UTF-16 bytes.
        var odd = await SendAsync(new HttpMethod(method), path, Encoding.UTF8.GetBytes(json + " "), "application/json; charset=utf-16", tokens.AccessToken);
        var utf16 = await SendAsync(new HttpMethod(method), path, Encoding.Unicode.GetBytes(json), "application/json; charset=utf-16", tokens.AccessToken);

        await AssertUnsupportedAsync(odd, "application/json; charset=utf-8");
        await AssertUnsupportedAsync(utf16, "application/json; charset=utf-8");
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.sessions"), Is.EqualTo(1), "nothing was done");
    }

    [TestCase("application/json; charset=utf-16le", Login, "UTF-8 only: send application/json; charset=utf-8")]
    [TestCase("application/json; charset=UTF-32", Login, "UTF-8 only")]
    [TestCase("application/json; charset=iso-8859-1", Login, "UTF-8 only")]
    [TestCase("application/json; charset=\"utf-7\"", Login, "UTF-8 only")]
    [TestCase("application/json; charset=utf8", Login, "UTF-8 only")]
    [TestCase("application/json; charset=no-such-charset", Login, "UTF-8 only")]
    [TestCase("application/x-www-form-urlencoded; charset=utf-16", Form, "UTF-8 only")]
    [TestCase("application/x-www-form-urlencoded; charset=iso-8859-1", Form, "application/x-www-form-urlencoded")]
    public async Task A_login_in_any_other_charset_is_a_415_that_says_only_utf8_is_read(string contentType, string body, string expected)
    {
        await Client.SignupOkAsync("alice");

        var response = await SendAsync(HttpMethod.Post, "/v1/login", Encoding.UTF8.GetBytes(body), contentType);

        await AssertUnsupportedAsync(response, expected);
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.sessions"), Is.Zero, "nobody logged in");
    }

    [TestCase("application/json", Login)]
    [TestCase("application/json; charset=utf-8", Login)]
    [TestCase("application/json; charset=UTF-8", Login)]
    [TestCase("application/json;charset=\"UTF-8\"", Login)]
    [TestCase("Application/JSON; Charset=Utf-8", Login)]
    [TestCase("application/x-www-form-urlencoded", Form)]
    [TestCase("application/x-www-form-urlencoded; charset=utf-8", Form)]
    [TestCase("application/x-www-form-urlencoded; charset=\"UTF-8\"", Form)]
    public async Task A_login_in_utf8_is_read_however_the_charset_is_written(string contentType, string body)
    {
        await Client.SignupOkAsync("alice");

        var response = await SendAsync(HttpMethod.Post, "/v1/login", Encoding.UTF8.GetBytes(body), contentType);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task A_media_type_no_operation_reads_is_a_415_naming_what_the_address_reads()
    {
        var tokens = await Client.MemberAsync("alice");

        var post = await SendAsync(HttpMethod.Post, "/v1/posts", Encoding.UTF8.GetBytes("title=x"), "text/plain", tokens.AccessToken);
        var login = await SendAsync(HttpMethod.Post, "/v1/login", Encoding.UTF8.GetBytes(Login), "text/plain");

        await AssertUnsupportedAsync(post, "Send the body as application/json; charset=utf-8.");
        await AssertUnsupportedAsync(login, "application/json; charset=utf-8 or application/x-www-form-urlencoded");
    }

    [Test]
    public async Task A_charset_on_a_request_without_a_body_to_read_changes_nothing()
    {
        var tokens = await Client.MemberAsync("alice");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/users/me") { Content = new ByteArrayContent([]) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "text/plain; charset=utf-16");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);

        var response = await Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase("password=%FF%FEcorrect+horse")]
    [TestCase("password=caf%E9+horse+battery+staple")]
    [TestCase("password=%ED%A0%80+horse+battery+staple")]
    [TestCase("password=%C0%AE%C0%AE+horse+battery+staple")]
    public async Task A_form_login_with_bytes_that_are_not_utf8_once_decoded_is_a_400_that_counts_no_failure(string field)
    {
        await Client.SignupOkAsync("alice");

        var response = await SendAsync(HttpMethod.Post, "/v1/login", Encoding.ASCII.GetBytes("grant_type=password&username=alice&" + field), "application/x-www-form-urlencoded");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").GetProperty("password")[0].GetString(), Is.EqualTo("The value is not UTF-8 once percent-decoded."));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.security_events WHERE type <> 'signup'"), Is.Zero, "no failed login was recorded");
    }

    [Test]
    public async Task A_raw_byte_that_is_not_utf8_in_a_form_is_a_400()
    {
        await Client.SignupOkAsync("alice");

        var response = await SendAsync(HttpMethod.Post, "/v1/login", [.. "grant_type=password&username=alice&password=caf"u8, 0xE9, .. "+horse+battery"u8], "application/x-www-form-urlencoded");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "password" }));
    }

    [Test]
    public async Task A_form_is_decoded_as_the_url_standard_says_percent_encoded_utf8_and_a_stray_percent_alike()
    {
        await Client.SignupOkAsync("alice", password: "50%zz stäple horse battery");

        var response = await SendAsync(HttpMethod.Post, "/v1/login", Encoding.ASCII.GetBytes("grant_type=password&username=alice&password=50%zz+st%C3%A4ple+horse%20battery"), "application/x-www-form-urlencoded");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task A_form_with_more_fields_than_allowed_is_a_400()
    {
        var form = Form + string.Concat(Enumerable.Range(0, 1024).Select(i => $"&f{i}=x"));

        var response = await SendAsync(HttpMethod.Post, "/v1/login", Encoding.ASCII.GetBytes(form), "application/x-www-form-urlencoded");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").GetProperty("body")[0].GetString(), Is.EqualTo("The form has more than 1024 fields."));
    }
}
