using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Paseto.Auth.Contracts;
using Paseto.Auth.IntegrationTests.Support;
using Paseto.Auth.Paseto;

namespace Paseto.Auth.IntegrationTests.Auth;

public sealed class LoginTests : ApiTestBase
{
    [Test]
    public async Task Login_returns_the_token_response_and_starts_a_session()
    {
        var user = await Client.SignupOkAsync("alice");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/login")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { username = "alice", password = ApiClientExtensions.Password }),
        };
        request.Headers.UserAgent.ParseAdd("TestAgent/1.0");

        var response = await Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var body = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("access_token").GetString(), Does.StartWith("v4.local."));
            Assert.That(body.GetProperty("token_type").GetString(), Is.EqualTo("bearer"));
            Assert.That(body.GetProperty("expires_in").GetInt32(), Is.EqualTo(15 * 60));
            Assert.That(body.GetProperty("refresh_token").GetString(), Has.Length.EqualTo(43));
            Assert.That(body.GetProperty("refresh_expires_in").GetInt32(), Is.EqualTo(14 * 24 * 3600));
            Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
        });
        var sessionId = body.GetProperty("session_id").GetGuid();
        await using var command = Database.CreateCommand(
            "SELECT user_id, user_agent, host(ip), revoked_at IS NULL, expires_at > now(), octet_length(refresh_token_hash) FROM paseto_auth.sessions WHERE id = $1");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = sessionId });
        await using var reader = await command.ExecuteReaderAsync();
        Assert.That(await reader.ReadAsync(), Is.True, "no session row");
        Assert.Multiple(() =>
        {
            Assert.That(reader.GetInt32(0), Is.EqualTo(user.GetProperty("id").GetInt32()));
            Assert.That(reader.GetString(1), Is.EqualTo("TestAgent/1.0"));
            Assert.That(reader.IsDBNull(2), Is.False);
            Assert.That(reader.GetBoolean(3) && reader.GetBoolean(4), Is.True);
            Assert.That(reader.GetInt32(5), Is.EqualTo(32));
        });
    }

    [Test]
    public async Task The_access_token_carries_the_designed_claims_and_names_its_key_in_the_footer()
    {
        var user = await Client.SignupOkAsync("alice");
        var tokens = await Client.LoginOkAsync("alice");
        var format = Factory.Services.GetRequiredService<PasetoTokenFormat<AccessTokenClaims>>();

        Assert.That(format.TryDecode(tokens.AccessToken, out var claims, out var error), Is.True, error.ToString());
        var key = SymmetricKey.ParsePaserk(TestKeys.Local);
        var footer = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(PadBase64(tokens.AccessToken.Split('.')[3])));
        Assert.Multiple(() =>
        {
            Assert.That(claims!.Issuer, Is.EqualTo("paseto-auth"));
            Assert.That(claims.Audience, Is.EqualTo("paseto-auth"));
            Assert.That(claims.Subject, Is.EqualTo(user.GetProperty("id").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(claims.SessionId, Is.EqualTo(tokens.SessionId.ToString()));
            Assert.That(claims.TokenId, Is.Not.Empty);
            Assert.That(claims.Role, Is.EqualTo("member"));
            Assert.That(claims.Username, Is.EqualTo("alice"));
            Assert.That(claims.Expiration - claims.IssuedAt, Is.EqualTo(TimeSpan.FromMinutes(15)));
            Assert.That(claims.NotBefore, Is.EqualTo(claims.IssuedAt));
            Assert.That(footer, Is.EqualTo($"{{\"kid\":\"{key.Id}\"}}"));
        });
    }

    [Test]
    public async Task Login_by_email_in_any_case_works()
    {
        await Client.SignupOkAsync("alice", email: "alice@example.test");

        var tokens = await Client.LoginOkAsync("ALICE@example.test");

        Assert.That(tokens.AccessToken, Is.Not.Empty);
    }

    [Test]
    public async Task Wrong_password_and_unknown_user_get_the_same_401()
    {
        await Client.SignupOkAsync("alice");

        var wrong = await Client.LoginAsync("alice", "not the right password");
        var unknown = await Client.LoginAsync("nobody", "not the right password");

        var a = await wrong.AssertProblemAsync(HttpStatusCode.Unauthorized);
        var b = await unknown.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Multiple(() =>
        {
            Assert.That(b.GetProperty("detail").GetString(), Is.EqualTo(a.GetProperty("detail").GetString()));
            Assert.That(b.GetProperty("title").GetString(), Is.EqualTo(a.GetProperty("title").GetString()));
            Assert.That(b.GetProperty("type").GetString(), Is.EqualTo(a.GetProperty("type").GetString()));
            Assert.That(wrong.Headers.WwwAuthenticate.ToString(), Is.EqualTo(unknown.Headers.WwwAuthenticate.ToString()).And.StartWith("Bearer"));
        });
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.sessions"), Is.Zero);
    }

    [Test]
    public async Task An_inactive_user_gets_the_same_401_as_a_wrong_password()
    {
        await Client.SignupOkAsync("alice");
        await ScalarAsync<int>("UPDATE paseto_auth.users SET is_active = false");

        var response = await Client.LoginAsync("alice");

        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        var wrong = await (await Client.LoginAsync("alice", "not the right password")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.That(problem.GetProperty("detail").GetString(), Is.EqualTo(wrong.GetProperty("detail").GetString()));
    }

    [Test]
    public async Task Login_with_the_oauth2_password_grant_form_works()
    {
        await Client.SignupOkAsync("alice");

        var response = await Client.PostAsync("/v1/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["username"] = "alice",
            ["password"] = ApiClientExtensions.Password,

            // What Swagger UI and OAuth clients send besides, and the form ignores.
            ["scope"] = "",
            ["client_id"] = "swagger-ui",
            ["client_secret"] = "",
        }));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var tokens = await ApiClientExtensions.ReadTokensAsync(response);
        Assert.That((await Client.GetAsync("/v1/users/me", tokens.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task The_form_with_another_grant_type_is_a_400()
    {
        var response = await Client.PostAsync("/v1/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["username"] = "alice",
            ["password"] = ApiClientExtensions.Password,
        }));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "grant_type" }));
    }

    [Test]
    public async Task Login_without_a_password_is_a_400()
    {
        var response = await Client.PostAsync("/v1/login", System.Net.Http.Json.JsonContent.Create(new { username = "alice" }));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "password" }));
    }

    private static string PadBase64(string base64Url)
    {
        var s = base64Url.Replace('-', '+').Replace('_', '/');
        return s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
    }
}
