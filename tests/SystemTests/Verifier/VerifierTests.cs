using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Paseto.Auth.Contracts;
using Paseto.Auth.IntegrationTests.Support;
using Paseto.Auth.Paseto;

namespace Paseto.Auth.SystemTests.Verifier;

/// <summary>
/// The verifier library against the live service: the service on a real port (purpose
/// <c>public</c>, keys A and B), resource servers that reference only the library.
/// </summary>
public sealed class VerifierTests
{
    private static readonly PasetoValidationOptions _validation = new() { Issuer = "paseto-auth", Audience = "paseto-auth" };

    private readonly AsymmetricSecretKey _a = AsymmetricSecretKey.Generate();
    private readonly AsymmetricSecretKey _b = AsymmetricSecretKey.Generate();
    private string _database = null!;
    private int _port;
    private ApiFactory? _service;

    private Uri Authority => new($"http://127.0.0.1:{_port}");

    private HttpClient Service => _service!.CreateClient();

    [SetUp]
    public async Task StartService()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        _port = LoopbackPort.FreeBelowEphemeralRange(21000 + Random.Shared.Next(8000), []);
        await RestartServiceAsync(_a, _b);
    }

    [TearDown]
    public async Task StopService()
    {
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }
    }

    /// <summary>(Re)starts the service on the same port with these keys, newest (signing) first.</summary>
    private async Task RestartServiceAsync(params object[] keys)
    {
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }

        var settings = IntrospectionClients.Settings(new Dictionary<string, string?> { ["Paseto:Purpose"] = "public" });
        for (var i = 0; i < keys.Length; i++)
        {
            settings[$"Paseto:Keys:{i}"] = keys[i] switch
            {
                AsymmetricSecretKey secret => secret.ToPaserk(),
                AsymmetricPublicKey retired => retired.ToPaserk(),
                _ => throw new ArgumentException("A key is a secret or a public key.", nameof(keys)),
            };
        }

        _service = ApiFactory.OnSocket(_database, settings, _port);
    }

    private async Task<(string Token, AccessTokenClaims Claims)> LoginAsync(string username)
    {
        using var client = Service;
        var response = await client.LoginAsync(username);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            await client.SignupOkAsync(username);
            response = await client.LoginAsync(username);
        }

        var tokens = await ApiClientExtensions.ReadTokensAsync(response);
        var format = AccessTokenClaims.Format(KeyRing.ForVerification([_a.PublicKey, _b.PublicKey]), _validation, TimeProvider.System);
        Assert.That(format.TryDecode(tokens.AccessToken, out var claims, out var error), Is.True, error.ToString());
        return (tokens.AccessToken, claims!);
    }

    /// <summary>A resource server that also asks the service's introspection about every token.</summary>
    private static Task<ResourceServer> IntrospectingAsync(Uri authority, string? secret = null) =>
        ResourceServer.StartAsync(authority, o => o.Introspection = new()
        {
            ClientId = IntrospectionClients.Id,
            ClientSecret = secret ?? IntrospectionClients.Secret,
        });

    private static string Sign(AccessTokenClaims claims, AsymmetricSecretKey key) =>
        AccessTokenClaims.Format(KeyRing.ForPublic([key]), _validation, TimeProvider.System).Encode(claims);

    private static async Task<JsonElement> AcceptedAsync(HttpResponseMessage response)
    {
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), response.Headers.WwwAuthenticate.ToString());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static void AssertRefused(HttpResponseMessage response, string description)
    {
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Is.EqualTo($"Bearer error=\"invalid_token\", error_description=\"{description}\""));
    }

    [Test]
    public async Task A_public_token_is_accepted_offline_with_its_claims_mapped()
    {
        await using var api = await ResourceServer.StartAsync(Authority);
        var (token, claims) = await LoginAsync("alice");

        var me = await AcceptedAsync(await api.WhoAmIAsync(token));

        Assert.Multiple(() =>
        {
            Assert.That(me.GetProperty("name").GetString(), Is.EqualTo("alice"), "username is the name claim type");
            Assert.That(me.GetProperty("role").GetString(), Is.EqualTo("member"));
            Assert.That(me.GetProperty("admin").GetString(), Is.EqualTo("no"), "role is the role claim type");
            Assert.That(me.GetProperty("sub").GetString(), Is.EqualTo(claims.Subject));
            Assert.That(me.GetProperty("sid").GetString(), Is.EqualTo(claims.SessionId));
            Assert.That(api.KeyFetches, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task No_token_is_a_bare_bearer_challenge()
    {
        await using var api = await ResourceServer.StartAsync(Authority);

        var response = await api.WhoAmIAsync(null);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Is.EqualTo("Bearer"));
    }

    [Test]
    public async Task Tampered_foreign_wrong_audience_expired_and_local_tokens_are_refused()
    {
        await using var api = await ResourceServer.StartAsync(Authority);
        var (token, claims) = await LoginAsync("alice");
        var chars = token.ToCharArray();
        var i = "v4.public.".Length + 30;
        chars[i] = chars[i] == 'A' ? 'B' : 'A';
        var past = DateTimeOffset.UtcNow.AddHours(-1);
        var local = AccessTokenClaims.Format(KeyRing.ForLocal([SymmetricKey.Generate()]), _validation, TimeProvider.System).Encode(claims);

        AssertRefused(await api.WhoAmIAsync(new string(chars)), "The token is invalid");
        AssertRefused(await api.WhoAmIAsync(Sign(claims, AsymmetricSecretKey.Generate())), "The token is invalid");
        AssertRefused(await api.WhoAmIAsync(Sign(claims with { Audience = "another-service" }, _a)), "The token is invalid");
        AssertRefused(await api.WhoAmIAsync(Sign(claims with { Issuer = "someone-else" }, _a)), "The token is invalid");
        AssertRefused(await api.WhoAmIAsync(Sign(claims with { Role = null }, _a)), "The token is invalid");
        AssertRefused(await api.WhoAmIAsync(Sign(claims with { NotBefore = DateTimeOffset.UtcNow.AddMinutes(5) }, _a)), "The token is invalid");
        AssertRefused(await api.WhoAmIAsync(Sign(claims with { IssuedAt = past, NotBefore = past, Expiration = past.AddMinutes(15) }, _a)), "The token expired");
        AssertRefused(await api.WhoAmIAsync(local), "The token is invalid");
        AssertRefused(await api.WhoAmIAsync("v4.public.%%%"), "The token is invalid");
        await AcceptedAsync(await api.WhoAmIAsync(token));
    }

    [Test]
    public async Task A_token_within_the_clock_skew_is_accepted_as_by_the_service()
    {
        await using var api = await ResourceServer.StartAsync(Authority);
        var (_, claims) = await LoginAsync("alice");
        var now = DateTimeOffset.UtcNow;

        // Issued 20 s "in the future" and expired 20 s ago: inside the service's 30 s skew.
        var skewed = Sign(claims with { IssuedAt = now.AddSeconds(20), NotBefore = now.AddSeconds(20), Expiration = now.AddSeconds(-20) }, _a);

        await AcceptedAsync(await api.WhoAmIAsync(skewed));
        using var service = Service;
        Assert.That((await service.GetAsync("/v1/users/me", skewed)).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the service agrees");
    }

    [Test]
    public async Task A_burst_of_tokens_with_unknown_kids_refetches_the_keys_once()
    {
        // One fetch an hour at most, so every refetch in the burst would show in the count.
        await using var api = await ResourceServer.StartAsync(Authority, o => o.KeyFetchMinInterval = TimeSpan.FromHours(1));
        var (token, claims) = await LoginAsync("alice");
        await AcceptedAsync(await api.WhoAmIAsync(token));
        Assert.That(api.KeyFetches, Is.EqualTo(1));
        var bogus = Enumerable.Range(0, 200).Select(_ => Sign(claims, AsymmetricSecretKey.Generate())).ToArray();

        var responses = await Task.WhenAll(bogus.Select(api.WhoAmIAsync));

        Assert.That(responses.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(api.KeyFetches, Is.EqualTo(2), "the first unknown kid refetches; the other 199 wait for the interval");
        await AcceptedAsync(await api.WhoAmIAsync(token));
    }

    /// <param name="publishedFirst">
    /// The rotation as documented: B is served (verify-only) before it signs, so the verifier
    /// holds it already; or not, and the verifier learns of B from the first token naming it.
    /// </param>
    [TestCase(true, 1, TestName = "A rotation that publishes the key first refuses no token and needs no refetch")]
    [TestCase(false, 2, TestName = "A rotation that skips publishing refuses no token: the new kid is fetched once")]
    public async Task A_rotation_on_the_service_refuses_no_token(bool publishedFirst, int fetches)
    {
        await RestartServiceAsync(publishedFirst ? [_a, _b] : [_a]);
        await using var api = await ResourceServer.StartAsync(Authority);
        var (before, _) = await LoginAsync("alice");
        await AcceptedAsync(await api.WhoAmIAsync(before));

        // B signs, A still verifies.
        await RestartServiceAsync(_b, _a);
        var (after, _) = await LoginAsync("alice");

        await AcceptedAsync(await api.WhoAmIAsync(after));
        await AcceptedAsync(await api.WhoAmIAsync(before));
        Assert.That(api.KeyFetches, Is.EqualTo(fetches));
    }

    [Test]
    public async Task A_key_the_service_no_longer_serves_is_dropped_at_the_next_refresh()
    {
        // Refreshing every 200 ms, so the test sees a refresh without waiting minutes.
        await using var api = await ResourceServer.StartAsync(Authority, o =>
        {
            o.KeyRefreshInterval = TimeSpan.FromMilliseconds(200);
            o.KeyFetchMinInterval = TimeSpan.FromMilliseconds(100);
        });
        var (old, _) = await LoginAsync("alice");
        await AcceptedAsync(await api.WhoAmIAsync(old));

        await RestartServiceAsync(_b);
        var refused = false;
        for (var attempt = 0; attempt < 50 && !refused; attempt++)
        {
            await Task.Delay(200);
            refused = (await api.WhoAmIAsync(old)).StatusCode == HttpStatusCode.Unauthorized;
        }

        Assert.That(refused, Is.True, "A's tokens are refused once A is no longer served");
        var (fresh, _) = await LoginAsync("alice");
        await AcceptedAsync(await api.WhoAmIAsync(fresh));
    }

    [Test]
    public async Task A_logged_out_token_is_refused_through_introspection_while_accepted_offline()
    {
        await using var offline = await ResourceServer.StartAsync(Authority);
        await using var introspecting = await IntrospectingAsync(Authority);
        var (token, _) = await LoginAsync("alice");
        await AcceptedAsync(await introspecting.WhoAmIAsync(token));

        using var service = Service;
        Assert.That((await service.SendAsync(HttpMethod.Post, "/v1/logout", token)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        AssertRefused(await introspecting.WhoAmIAsync(token), "The token is not active");
        await AcceptedAsync(await offline.WhoAmIAsync(token));
    }

    [Test]
    public async Task Introspection_gives_the_role_as_the_service_has_it_now()
    {
        await using var introspecting = await IntrospectingAsync(Authority);
        var (token, _) = await LoginAsync("alice");
        await using (var db = Npgsql.NpgsqlDataSource.Create(_database))
        {
            await db.ScalarAsync<int>("UPDATE paseto_auth.users SET role = 'admin' WHERE username = 'alice' RETURNING id");
        }

        var me = await AcceptedAsync(await introspecting.WhoAmIAsync(token));

        Assert.That(me.GetProperty("admin").GetString(), Is.EqualTo("yes"));
    }

    [Test]
    public async Task A_wrong_introspection_secret_refuses_every_token_and_says_the_service_could_not_check_it()
    {
        await using var introspecting = await IntrospectingAsync(Authority, "not-the-secret");
        var (token, _) = await LoginAsync("alice");

        AssertRefused(await introspecting.WhoAmIAsync(token), "The token could not be checked");
    }

    [Test]
    public async Task A_local_token_is_accepted_only_through_introspection()
    {
        await using var local = ApiFactory.OnSocket(_database, IntrospectionClients.Settings());
        var authority = new Uri($"http://127.0.0.1:{local.Port}");
        await using var offline = await ResourceServer.StartAsync(authority);
        await using var introspecting = await IntrospectingAsync(authority);
        using var client = local.CreateClient();
        var tokens = await client.MemberAsync("alice");
        Assert.That(tokens.AccessToken, Does.StartWith("v4.local."));

        var me = await AcceptedAsync(await introspecting.WhoAmIAsync(tokens.AccessToken));

        Assert.That(me.GetProperty("name").GetString(), Is.EqualTo("alice"));
        AssertRefused(await offline.WhoAmIAsync(tokens.AccessToken), "The token is invalid");
    }

    [TestCase("http://auth.example:8000")]
    [TestCase("ftp://127.0.0.1")]
    [TestCase("https://auth.example/?x=1")]
    [TestCase("not a uri")]
    public void An_authority_that_cannot_be_trusted_stops_the_resource_server(string authority)
    {
        Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var api = await ResourceServer.StartAsync(new Uri("http://127.0.0.1"), o => o.Authority = authority);
            await api.WhoAmIAsync("v4.public.x");
        });
    }
}
