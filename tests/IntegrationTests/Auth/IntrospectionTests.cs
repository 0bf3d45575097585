using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Paseto.Auth.Contracts;
using Paseto.Auth.IntegrationTests.Support;
using Paseto.Auth.Paseto;

namespace Paseto.Auth.IntegrationTests.Auth;

/// <summary><c>POST /v1/token/introspect</c> (RFC 7662, DESIGN §12) over real HTTP and PostgreSQL.</summary>
public sealed class IntrospectionTests : ApiTestBase
{
    protected override IReadOnlyDictionary<string, string?> Settings => IntrospectionClients.Settings();

    private PasetoTokenFormat<AccessTokenClaims> ServiceFormat => Factory.Services.GetRequiredService<PasetoTokenFormat<AccessTokenClaims>>();

    private static async Task<JsonElement> AnswerAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        Assert.That(response.Headers.CacheControl?.NoStore, Is.True, "an answer about liveness is never cached");
        return JsonSerializer.Deserialize<JsonElement>(text);
    }

    private async Task AssertInactiveAsync(string token)
    {
        var answer = await AnswerAsync(await Client.IntrospectAsync(token));
        Assert.That(answer.ToString(), Is.EqualTo("""{"active":false}"""), "nothing but active: false");
    }

    [Test]
    public async Task A_live_access_token_is_active_with_its_claims_and_numeric_dates()
    {
        var tokens = await Client.MemberAsync("alice");
        Assert.That(ServiceFormat.TryDecode(tokens.AccessToken, out var claims, out _), Is.True);

        var answer = await AnswerAsync(await Client.IntrospectAsync(tokens.AccessToken));

        Assert.Multiple(() =>
        {
            Assert.That(answer.GetProperty("active").GetBoolean(), Is.True);
            Assert.That(answer.GetProperty("sub").GetString(), Is.EqualTo(claims!.Subject));
            Assert.That(answer.GetProperty("sid").GetString(), Is.EqualTo(tokens.SessionId.ToString()));
            Assert.That(answer.GetProperty("username").GetString(), Is.EqualTo("alice"));
            Assert.That(answer.GetProperty("role").GetString(), Is.EqualTo("member"));
            Assert.That(answer.GetProperty("iss").GetString(), Is.EqualTo("paseto-auth"));
            Assert.That(answer.GetProperty("aud").GetString(), Is.EqualTo("paseto-auth"));
            Assert.That(answer.GetProperty("jti").GetString(), Is.EqualTo(claims.TokenId));
            Assert.That(answer.GetProperty("exp").ValueKind, Is.EqualTo(JsonValueKind.Number));
            Assert.That(answer.GetProperty("exp").GetInt64(), Is.EqualTo(claims.Expiration!.Value.ToUnixTimeSeconds()));
            Assert.That(answer.GetProperty("iat").GetInt64(), Is.EqualTo(claims.IssuedAt!.Value.ToUnixTimeSeconds()));
        });
    }

    [Test]
    public async Task A_role_change_shows_at_once_in_the_answer()
    {
        var tokens = await Client.MemberAsync("alice");
        await ScalarAsync<int>("UPDATE paseto_auth.users SET role = 'admin' WHERE username = 'alice' RETURNING id");

        var answer = await AnswerAsync(await Client.IntrospectAsync(tokens.AccessToken));

        Assert.That(answer.GetProperty("role").GetString(), Is.EqualTo("admin"), "as the database has it now, not as the token says");
    }

    [Test]
    public async Task A_logged_out_session_is_inactive_at_once()
    {
        var tokens = await Client.MemberAsync("alice");
        Assert.That((await Client.SendAsync(HttpMethod.Post, "/v1/logout", tokens.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        await AssertInactiveAsync(tokens.AccessToken);
    }

    [Test]
    public async Task The_token_of_a_deactivated_user_is_inactive()
    {
        var tokens = await Client.MemberAsync("alice");
        await ScalarAsync<int>("UPDATE paseto_auth.users SET is_active = false WHERE username = 'alice' RETURNING id");

        await AssertInactiveAsync(tokens.AccessToken);
    }

    [Test]
    public async Task A_refresh_token_is_inactive()
    {
        var tokens = await Client.MemberAsync("alice");

        await AssertInactiveAsync(tokens.RefreshToken);
    }

    [Test]
    public async Task An_expired_token_is_inactive()
    {
        var tokens = await Client.MemberAsync("alice");
        Assert.That(ServiceFormat.TryDecode(tokens.AccessToken, out var claims, out _), Is.True);
        var past = DateTimeOffset.UtcNow.AddHours(-1);

        await AssertInactiveAsync(ServiceFormat.Encode(claims! with { IssuedAt = past, NotBefore = past, Expiration = past.AddMinutes(15) }));
    }

    [Test]
    public async Task A_token_for_another_audience_or_issuer_is_inactive_though_made_with_our_key()
    {
        var tokens = await Client.MemberAsync("alice");
        Assert.That(ServiceFormat.TryDecode(tokens.AccessToken, out var claims, out _), Is.True);

        await AssertInactiveAsync(ServiceFormat.Encode(claims! with { Audience = "another-service" }));
        await AssertInactiveAsync(ServiceFormat.Encode(claims with { Issuer = "someone-else" }));
    }

    [Test]
    public async Task A_forged_or_tampered_token_is_inactive()
    {
        var tokens = await Client.MemberAsync("alice");
        Assert.That(ServiceFormat.TryDecode(tokens.AccessToken, out var claims, out _), Is.True);
        var foreign = AccessTokenClaims.Format(
            KeyRing.ForLocal([SymmetricKey.Generate()]),
            new PasetoValidationOptions { Issuer = "paseto-auth", Audience = "paseto-auth" },
            TimeProvider.System);
        var chars = tokens.AccessToken.ToCharArray();
        var i = "v4.local.".Length + 20;
        chars[i] = chars[i] == 'A' ? 'B' : 'A';

        await AssertInactiveAsync(foreign.Encode(claims!));
        await AssertInactiveAsync(new string(chars));
    }

    [TestCase("not a token")]
    [TestCase("v4.local.")]
    [TestCase("v2.local.AAAA")]
    [TestCase("v4.public.eyJzdWIiOiIxIn0")]
    [TestCase("\uD800")]
    [TestCase("v4.local.\u0000\u0001")]
    public async Task Malformed_input_is_inactive_not_an_error(string token)
    {
        await AssertInactiveAsync(token);
    }

    [Test]
    public async Task An_oversized_token_is_inactive()
    {
        await AssertInactiveAsync("v4.local." + new string('A', PasetoLimits.MaxTokenLength));
    }

    [TestCase(null, TestName = "No credential")]
    [TestCase("wrong-secret", TestName = "A wrong secret")]
    [TestCase("unknown-id", TestName = "An unknown client id")]
    [TestCase("bearer", TestName = "A bearer token instead of a client credential")]
    [TestCase("not-base64", TestName = "Basic with bytes that are not base64")]
    [TestCase("not-utf8", TestName = "Basic with bytes that are not UTF-8")]
    [TestCase("no-colon", TestName = "Basic without a colon")]
    [TestCase("the-hash", TestName = "The configured SHA-256 presented as the secret")]
    public async Task A_missing_or_wrong_client_credential_is_401_with_a_basic_challenge(string? kind)
    {
        var tokens = await Client.MemberAsync("alice");
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/token/introspect")
        {
            Content = new FormUrlEncodedContent([new("token", tokens.AccessToken)]),
        };
        request.Headers.Authorization = kind switch
        {
            null => null,
            "wrong-secret" => IntrospectionClients.Basic(IntrospectionClients.Id, IntrospectionClients.Secret + "x"),
            "unknown-id" => IntrospectionClients.Basic("billing", IntrospectionClients.Secret),
            "bearer" => new AuthenticationHeaderValue("Bearer", tokens.AccessToken),
            "not-base64" => new AuthenticationHeaderValue("Basic", "%%%"),
            "not-utf8" => new AuthenticationHeaderValue("Basic", Convert.ToBase64String([0x6f, 0x72, 0xff, 0x3a, 0x61])),
            "no-colon" => new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(IntrospectionClients.Id + IntrospectionClients.Secret))),
            _ => IntrospectionClients.Basic(IntrospectionClients.Id, IntrospectionClients.HashOf(IntrospectionClients.Secret)),
        };

        var response = await Client.SendAsync(request);

        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.That(problem.GetProperty("type").GetString(), Is.EqualTo("/problems/invalid-client"));
        Assert.That(response.Headers.WwwAuthenticate.Select(h => h.Scheme), Is.EqualTo(new[] { "Basic" }));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Not.Contain(tokens.AccessToken).And.Not.Contain("alice"));
    }

    [Test]
    public async Task A_missing_token_is_a_validation_problem()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/token/introspect") { Content = new FormUrlEncodedContent([]) };
        request.Headers.Authorization = IntrospectionClients.Basic(IntrospectionClients.Id, IntrospectionClients.Secret);

        var problem = await (await Client.SendAsync(request)).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "token" }));
    }

    [Test]
    public async Task A_json_body_is_415()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/token/introspect")
        {
            Content = new StringContent("""{"token":"x"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = IntrospectionClients.Basic(IntrospectionClients.Id, IntrospectionClients.Secret);

        await (await Client.SendAsync(request)).AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Test]
    public async Task A_form_value_that_is_not_utf8_is_a_validation_problem()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/token/introspect")
        {
            Content = new StringContent("token=%FF%FE", Encoding.ASCII, "application/x-www-form-urlencoded"),
        };
        request.Content.Headers.ContentType!.CharSet = null;
        request.Headers.Authorization = IntrospectionClients.Basic(IntrospectionClients.Id, IntrospectionClients.Secret);

        await (await Client.SendAsync(request)).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task A_burst_from_one_client_gets_exactly_its_budget_and_then_429_with_retry_after()
    {
        // A budget this small, in this host only, so a burst of 30 parallel requests crosses it.
        await using var limited = Factory.WithWebHostBuilder(b => b.UseSetting("Introspection:RequestsPerMinute", "10"));
        using var client = limited.CreateClient();
        var tokens = await client.MemberAsync("alice");

        var responses = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => client.IntrospectAsync(tokens.AccessToken)));

        Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.OK), Is.EqualTo(10));
        var refused = responses.Where(r => r.StatusCode != HttpStatusCode.OK).ToArray();
        Assert.That(refused.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.TooManyRequests));
        var problem = await refused[0].AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.That(problem.GetProperty("type").GetString(), Is.EqualTo("/problems/too-many-requests"));
        Assert.That(refused[0].Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero));
    }

    /// <summary>
    /// Two instances lease from one budget of 400 a minute (leases of 4): of 500 parallel requests,
    /// split between them, no more than the budget is answered, at most one lease per instance is
    /// left unspent, and the database counted exactly the budget.
    /// </summary>
    [Test]
    public async Task Parallel_bursts_on_two_instances_never_get_more_than_one_budget()
    {
        // A budget this small, in these hosts only, so the burst crosses it.
        await using var first = Factory.WithWebHostBuilder(b => b.UseSetting("Introspection:RequestsPerMinute", "400"));
        await using var second = Factory.WithWebHostBuilder(b => b.UseSetting("Introspection:RequestsPerMinute", "400"));
        using var one = first.CreateClient();
        using var other = second.CreateClient();
        var tokens = await one.MemberAsync("alice");

        var responses = await Task.WhenAll(Enumerable.Range(0, 500).Select(i => (i % 2 == 0 ? one : other).IntrospectAsync(tokens.AccessToken)));

        var answered = responses.Count(r => r.StatusCode == HttpStatusCode.OK);
        Assert.That(answered, Is.InRange(400 - 4 - 4, 400));
        Assert.That(responses.Where(r => r.StatusCode != HttpStatusCode.OK).Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(await ScalarAsync<int>("SELECT count FROM paseto_auth.throttle_counters WHERE key = $1", $"introspect:client:{IntrospectionClients.Id}"), Is.EqualTo(400));
    }

    /// <summary>Within the instance's lease and with the session cached, a live token's introspection needs no database at all.</summary>
    [Test]
    public async Task Introspecting_a_live_token_again_costs_no_database_round_trip()
    {
        var tokens = await Client.MemberAsync("alice");
        Assert.That((await AnswerAsync(await Client.IntrospectAsync(tokens.AccessToken))).GetProperty("active").GetBoolean(), Is.True);

        var commands = await Sessions.RoundTripTests.CommandsDuringAsync(async () =>
            Assert.That((await AnswerAsync(await Client.IntrospectAsync(tokens.AccessToken))).GetProperty("active").GetBoolean(), Is.True));

        Assert.That(commands, Is.Empty, string.Join("\n", commands));
    }

    [Test]
    public void A_secret_configured_in_clear_stops_the_start_naming_the_setting_not_the_value()
    {
        var factory = Factory.WithWebHostBuilder(b => b.UseSetting("Introspection:Clients:0:Secret", IntrospectionClients.Secret));

        var failure = Assert.Catch(() => factory.CreateClient());

        Assert.That(failure!.ToString(), Does.Contain("Introspection:Clients:0:Secret").And.Not.Contain(IntrospectionClients.Secret));
        factory.Dispose();
    }
}
