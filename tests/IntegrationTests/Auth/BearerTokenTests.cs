using System.Net;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Paseto.Auth.Contracts;
using Paseto.Auth.IntegrationTests.Support;
using Paseto.Auth.Paseto;

namespace Paseto.Auth.IntegrationTests.Auth;

public sealed class BearerTokenTests : ApiTestBase
{
    private const string Invalid = "/problems/invalid-token";
    private const string Expired = "/problems/token-expired";
    private const string SessionEnded = "/problems/session-ended";

    /// <summary>Asserts the 401 of a refused token: the problem type, and the challenge RFC 6750 asks for, with a description that matches the type.</summary>
    private static async Task<System.Text.Json.JsonElement> AssertRefusedAsync(HttpClient client, string? authorization, string type)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/users/me");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        var response = await client.SendAsync(request);

        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.That(problem.GetProperty("type").GetString(), Is.EqualTo(type));
        var description = type switch
        {
            Expired => "The access token expired",
            SessionEnded => "The session ended",
            _ => "The access token is invalid",
        };
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Is.EqualTo($"Bearer error=\"invalid_token\", error_description=\"{description}\""));
        return problem;
    }

    private Task<System.Text.Json.JsonElement> AssertInvalidTokenAsync(string? authorization) => AssertRefusedAsync(Client, authorization, Invalid);

    [Test]
    public async Task Missing_token_is_a_401_with_a_bearer_challenge()
    {
        var response = await Client.GetAsync("/v1/users/me");

        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.That(problem.GetProperty("type").GetString(), Is.EqualTo("/problems/token-required"));
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Is.EqualTo("Bearer"));
    }

    [Test]
    public async Task Every_invalid_token_gets_one_and_the_same_answer()
    {
        var tokens = await Client.MemberAsync("alice");
        var chars = tokens.AccessToken.ToCharArray();
        chars[^5] = chars[^5] == 'A' ? 'B' : 'A';

        var details = new HashSet<string?>();
        foreach (var header in new[] { "Bearer nonsense", "Bearer v4.public.AAAA", $"Bearer {new string(chars)}", $"Basic {tokens.AccessToken}" })
        {
            details.Add((await AssertInvalidTokenAsync(header)).GetProperty("detail").GetString());
        }

        Assert.That(details, Has.Count.EqualTo(1));
    }

    [TestCase("Bearer")]
    [TestCase("Bearer not-a-token")]
    [TestCase("Bearer v4.local.")]
    [TestCase("Bearer v2.local.AAAA")]
    [TestCase("Basic YWxpY2U6cGFzc3dvcmQ=")]
    public Task Malformed_authorization_is_an_invalid_token(string header) => AssertInvalidTokenAsync(header);

    [Test]
    public async Task A_tampered_token_is_refused()
    {
        var tokens = await Client.MemberAsync("alice");
        var chars = tokens.AccessToken.ToCharArray();
        var i = "v4.local.".Length + 40;
        chars[i] = chars[i] == 'A' ? 'B' : 'A';

        await AssertInvalidTokenAsync($"Bearer {new string(chars)}");
    }

    /// <summary>The claims of a real token of alice's, to re-issue in some other way.</summary>
    private async Task<AccessTokenClaims> RealClaimsAsync()
    {
        var tokens = await Client.MemberAsync("alice");
        Assert.That(Factory.Services.GetRequiredService<PasetoTokenFormat<AccessTokenClaims>>().TryDecode(tokens.AccessToken, out var claims, out _), Is.True);
        return claims!;
    }

    private static PasetoTokenFormat<AccessTokenClaims> FormatWith(KeyRing keys) =>
        AccessTokenClaims.Format(keys, new PasetoValidationOptions { Issuer = "paseto-auth", Audience = "paseto-auth" }, TimeProvider.System);

    [Test]
    public async Task A_token_forged_with_another_key_is_refused()
    {
        var claims = await RealClaimsAsync();

        await AssertInvalidTokenAsync($"Bearer {FormatWith(KeyRing.ForLocal([SymmetricKey.Generate()])).Encode(claims)}");
    }

    [Test]
    public async Task A_public_token_is_refused_by_a_local_service()
    {
        var claims = await RealClaimsAsync();

        await AssertInvalidTokenAsync($"Bearer {FormatWith(KeyRing.ForPublic([AsymmetricSecretKey.ParsePaserk(TestKeys.Secret)])).Encode(claims)}");
    }

    [Test]
    public async Task A_token_with_another_audience_is_refused()
    {
        var claims = await RealClaimsAsync();

        await AssertInvalidTokenAsync($"Bearer {Factory.Services.GetRequiredService<PasetoTokenFormat<AccessTokenClaims>>().Encode(claims with { Audience = "someone-else" })}");
    }

    [Test]
    public async Task A_token_naming_another_users_session_is_refused()
    {
        var alice = await RealClaimsAsync();
        var bob = await Client.MemberAsync("bob");
        var format = Factory.Services.GetRequiredService<PasetoTokenFormat<AccessTokenClaims>>();
        Assert.That(format.TryDecode(bob.AccessToken, out var bobClaims, out _), Is.True);

        // Correctly encrypted with the service's key, alice as subject, bob's live session: the
        // session check finds the session by its id and must still refuse the mismatch. Only a
        // holder of the key could make it, so it is told apart as genuine: the session is not alice's.
        var forged = format.Encode(alice with { SessionId = bobClaims!.SessionId });

        await AssertRefusedAsync(Client, $"Bearer {forged}", SessionEnded);
        Assert.That((await Client.GetAsync("/v1/users/me", bob.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_token_whose_session_was_revoked_in_the_database_is_refused()
    {
        var tokens = await Client.MemberAsync("alice");
        Assert.That((await Client.GetAsync("/v1/users/me", tokens.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        await ScalarAsync<int>("UPDATE paseto_auth.sessions SET revoked_at = now(), revoke_reason = 'test'");

        await SessionCacheWait.UntilRefusedAsync(Factory, Client, tokens.AccessToken);
        await AssertRefusedAsync(Client, $"Bearer {tokens.AccessToken}", SessionEnded);
    }

    [Test]
    public async Task A_token_of_a_deactivated_user_is_refused()
    {
        var tokens = await Client.MemberAsync("alice");

        await ScalarAsync<int>("UPDATE paseto_auth.users SET is_active = false");

        await SessionCacheWait.UntilRefusedAsync(Factory, Client, tokens.AccessToken);
        await AssertRefusedAsync(Client, $"Bearer {tokens.AccessToken}", SessionEnded);
    }

    [Test]
    public async Task A_token_is_refused_once_expired_and_accepted_within_the_skew()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var factory = Factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(time)));
        using var client = factory.CreateClient();
        var tokens = await client.MemberAsync("alice");
        time.Advance(TimeSpan.FromMinutes(14));
        // Verified, so remembered by the process (VerifiedTokenCache), which must not outlive exp.
        Assert.That((await client.GetAsync("/v1/users/me", tokens.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(20));
        var withinSkew = await client.GetAsync("/v1/users/me", tokens.AccessToken);
        time.Advance(TimeSpan.FromSeconds(15));

        Assert.That(withinSkew.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await AssertRefusedAsync(client, $"Bearer {tokens.AccessToken}", Expired);
    }

    [Test]
    public async Task An_expired_token_that_is_not_genuine_is_only_invalid()
    {
        var claims = await RealClaimsAsync();
        var past = claims with { IssuedAt = DateTimeOffset.UtcNow.AddHours(-2), NotBefore = DateTimeOffset.UtcNow.AddHours(-2), Expiration = DateTimeOffset.UtcNow.AddHours(-1) };
        var format = Factory.Services.GetRequiredService<PasetoTokenFormat<AccessTokenClaims>>();
        var genuine = format.Encode(past);
        var forged = FormatWith(KeyRing.ForLocal([SymmetricKey.Generate()])).Encode(past);
        var chars = genuine.ToCharArray();
        chars[^60] = chars[^60] == 'A' ? 'B' : 'A';

        await AssertRefusedAsync(Client, $"Bearer {genuine}", Expired);
        await AssertInvalidTokenAsync($"Bearer {forged}");
        await AssertInvalidTokenAsync($"Bearer {new string(chars)}");
        await AssertInvalidTokenAsync($"Bearer {format.Encode(past with { Audience = "someone-else" })}");
    }

    [Test]
    public async Task A_token_after_logout_says_the_session_ended()
    {
        var tokens = await Client.MemberAsync("alice");

        Assert.That((await Client.SendAsync(HttpMethod.Post, "/v1/logout", tokens.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        await AssertRefusedAsync(Client, $"Bearer {tokens.AccessToken}", SessionEnded);
    }

    [Test]
    public async Task Last_seen_is_moved_at_most_once_a_minute()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var factory = Factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(time)));
        using var client = factory.CreateClient();
        var tokens = await client.MemberAsync("alice");
        var started = await ScalarAsync<DateTime>("SELECT last_seen_at FROM paseto_auth.sessions");

        time.Advance(TimeSpan.FromSeconds(30));
        await client.GetAsync("/v1/users/me", tokens.AccessToken);
        var afterHalfAMinute = await ScalarAsync<DateTime>("SELECT last_seen_at FROM paseto_auth.sessions");
        time.Advance(TimeSpan.FromSeconds(45));
        await client.GetAsync("/v1/users/me", tokens.AccessToken);
        var afterAMinuteAndMore = await ScalarAsync<DateTime>("SELECT last_seen_at FROM paseto_auth.sessions");

        Assert.That(afterHalfAMinute, Is.EqualTo(started));
        Assert.That(afterAMinuteAndMore - started, Is.EqualTo(TimeSpan.FromSeconds(75)).Within(TimeSpan.FromMilliseconds(1)));
    }

    [Test]
    public async Task Access_token_expire_minutes_sets_the_lifetime()
    {
        await using var factory = Factory.WithWebHostBuilder(b => b.UseSetting("ACCESS_TOKEN_EXPIRE_MINUTES", "5"));
        using var client = factory.CreateClient();

        var tokens = await client.MemberAsync("alice");

        Assert.That(tokens.ExpiresIn, Is.EqualTo(300));
    }
}
