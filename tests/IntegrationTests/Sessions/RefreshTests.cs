using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Sessions;

public sealed class RefreshTests : ApiTestBase
{
    private Task<HttpResponseMessage> RefreshAsync(string refreshToken) =>
        Client.PostAsJsonAsync("/v1/token/refresh", new { refresh_token = refreshToken });

    [Test]
    public async Task Refresh_returns_a_new_pair_for_the_same_session_and_spends_the_old_token()
    {
        var first = await Client.MemberAsync("alice");

        var response = await RefreshAsync(first.RefreshToken);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var second = await ApiClientExtensions.ReadTokensAsync(response);
        Assert.Multiple(() =>
        {
            Assert.That(second.SessionId, Is.EqualTo(first.SessionId));
            Assert.That(second.RefreshToken, Is.Not.EqualTo(first.RefreshToken));
            Assert.That(second.AccessToken, Is.Not.EqualTo(first.AccessToken));
        });
        Assert.That((await Client.GetAsync("/v1/users/me", second.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await ScalarAsync<int>("SELECT refresh_generation FROM paseto_auth.sessions"), Is.EqualTo(1));
    }

    [Test]
    public async Task Only_the_hash_of_a_refresh_token_is_stored()
    {
        var tokens = await Client.MemberAsync("alice");

        var stored = await ScalarAsync<byte[]>("SELECT refresh_token_hash FROM paseto_auth.sessions");

        Assert.That(stored, Has.Length.EqualTo(32));
        Assert.That(Convert.ToBase64String(stored!), Does.Not.Contain(tokens.RefreshToken[..20]));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.sessions WHERE encode(refresh_token_hash, 'escape') LIKE $1", $"%{tokens.RefreshToken}%"), Is.Zero);
    }

    [Test]
    public async Task Reusing_a_spent_refresh_token_revokes_the_session_and_answers_401()
    {
        var first = await Client.MemberAsync("alice");
        var second = await ApiClientExtensions.ReadTokensAsync(await RefreshAsync(first.RefreshToken));

        var reuse = await RefreshAsync(first.RefreshToken);

        await reuse.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.That(await ScalarAsync<string>("SELECT revoke_reason FROM paseto_auth.sessions"), Is.EqualTo("refresh_token_reuse"));
        Assert.That((await Client.GetAsync("/v1/users/me", second.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        await (await RefreshAsync(second.RefreshToken)).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task Two_refreshes_racing_with_one_token_issue_at_most_one_pair()
    {
        var tokens = await Client.MemberAsync("alice");

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => RefreshAsync(tokens.RefreshToken)));

        var statuses = responses.Select(r => r.StatusCode).ToArray();
        Assert.That(statuses, Has.All.AnyOf(HttpStatusCode.OK, HttpStatusCode.Unauthorized));
        Assert.That(statuses.Count(s => s == HttpStatusCode.OK), Is.LessThanOrEqualTo(1));
        // Every loser is a reuse: the session is gone, so no pair, won or not, keeps working.
        Assert.That(await ScalarAsync<string>("SELECT revoke_reason FROM paseto_auth.sessions"), Is.EqualTo("refresh_token_reuse"));
        Assert.That(await ScalarAsync<int>("SELECT refresh_generation FROM paseto_auth.sessions"), Is.LessThanOrEqualTo(1));
    }

    [TestCase("")]
    [TestCase("not-a-refresh-token")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Unknown_or_malformed_refresh_tokens_are_refused(string token)
    {
        await Client.MemberAsync("alice");

        var response = await RefreshAsync(token);

        Assert.That(response.StatusCode, Is.AnyOf(HttpStatusCode.Unauthorized, HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.sessions WHERE revoked_at IS NOT NULL"), Is.Zero);
    }

    [Test]
    public async Task A_refresh_token_of_a_logged_out_session_is_refused()
    {
        var tokens = await Client.MemberAsync("alice");
        await Client.SendAsync(HttpMethod.Post, "/v1/logout", tokens.AccessToken);

        var response = await RefreshAsync(tokens.RefreshToken);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task The_refresh_window_is_configurable_and_never_passes_the_absolute_session_end()
    {
        await using var factory = Factory.WithWebHostBuilder(b => b
            .UseSetting("Auth:RefreshTokenLifetime", "02:00:00")
            .UseSetting("Auth:SessionLifetime", "01:00:00"));
        using var client = factory.CreateClient();

        var tokens = await client.MemberAsync("alice");

        Assert.That(tokens.RefreshExpiresIn, Is.EqualTo(3600));
    }

    [Test]
    public async Task An_unused_refresh_token_expires_after_its_window()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var factory = Factory.WithWebHostBuilder(b => b
            .UseSetting("Auth:RefreshTokenLifetime", "1.00:00:00")
            .ConfigureTestServices(s => s.AddSingleton<TimeProvider>(time)));
        using var client = factory.CreateClient();
        var tokens = await client.MemberAsync("alice");

        time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));
        var response = await client.PostAsJsonAsync("/v1/token/refresh", new { refresh_token = tokens.RefreshToken });

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }
}
