using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Paseto.Auth.Infrastructure.Persistence;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Passkeys;

public sealed class PasskeyLoginTests : PasskeyTestBase
{
    [Test]
    public async Task Passkey_without_username_signs_in_and_the_token_works()
    {
        var (_, authenticator, _) = await MemberWithPasskeyAsync("alice");
        var options = await LoginOptionsAsync();
        Assert.That(options.GetProperty("options").GetProperty("allowCredentials").GetArrayLength(), Is.Zero, "discoverable: no list");

        var response = await LoginAsync(options, authenticator.Get(options.GetProperty("options")));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var tokens = await ApiClientExtensions.ReadTokensAsync(response);

        var me = await Client.GetAsync("/v1/users/me", tokens.AccessToken);
        Assert.That(me.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await me.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("username").GetString(), Is.EqualTo("alice"));
        var methods = await ScalarAsync<string[]>("SELECT auth_methods FROM paseto_auth.sessions WHERE id = $1", tokens.SessionId);
        Assert.That(methods, Is.EqualTo(new[] { "passkey" }));
        var lastUsed = await ScalarAsync<DateTime?>("SELECT last_used_at FROM paseto_auth.passkeys");
        Assert.That(lastUsed, Is.Not.Null);
    }

    [Test]
    public async Task Passkey_with_username_lists_the_accounts_credentials_and_signs_in()
    {
        var (_, authenticator, _) = await MemberWithPasskeyAsync("alice");
        var options = await LoginOptionsAsync(new { username = "Alice" });
        var allowed = options.GetProperty("options").GetProperty("allowCredentials").EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToList();
        Assert.That(allowed, Is.EqualTo(new[] { SoftwareAuthenticator.B64(authenticator.Credentials[0].Id) }));

        var response = await LoginAsync(options, authenticator.Get(options.GetProperty("options"), ceremony: new Ceremony { SendUserHandle = false }));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Passkey_finishes_a_password_login_that_asked_for_the_second_factor()
    {
        var (_, authenticator, _) = await MemberWithPasskeyAsync("alice");
        var password = await Client.LoginAsync("alice");
        var problem = await password.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.That(problem.GetProperty("type").GetString(), Is.EqualTo("/problems/mfa-required"));
        Assert.That(problem.GetProperty("methods").EnumerateArray().Select(m => m.GetString()), Is.EqualTo(new[] { "passkey", "recovery_code" }));

        var options = await LoginOptionsAsync(new { mfa_token = problem.GetProperty("mfa_token").GetString() });
        Assert.That(options.GetProperty("options").GetProperty("allowCredentials").GetArrayLength(), Is.EqualTo(1));
        var response = await LoginAsync(options, authenticator.Get(options.GetProperty("options")));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var tokens = await ApiClientExtensions.ReadTokensAsync(response);
        var methods = await ScalarAsync<string[]>("SELECT auth_methods FROM paseto_auth.sessions WHERE id = $1", tokens.SessionId);
        Assert.That(methods, Is.EqualTo(new[] { "password", "passkey" }));

        var reused = await Client.PostAsJsonAsync("/v1/passkeys/login/options", new { mfa_token = problem.GetProperty("mfa_token").GetString() });
        Assert.That((await reused.AssertProblemAsync(HttpStatusCode.Unauthorized)).GetProperty("type").GetString(), Is.EqualTo("/problems/mfa-token-invalid"), "the mfa_token is spent");
    }

    [Test]
    public async Task A_burst_of_parallel_finishes_of_one_challenge_signs_in_once()
    {
        var (_, authenticator, _) = await MemberWithPasskeyAsync("alice");
        var options = await LoginOptionsAsync();
        var credential = authenticator.Get(options.GetProperty("options"));
        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => LoginAsync(options, credential.DeepClone(), $"203.0.113.{i + 1}")));
        var statuses = responses.Select(r => r.StatusCode).ToList();
        Assert.That(statuses.Count(s => s == HttpStatusCode.OK), Is.EqualTo(1), string.Join(", ", statuses));
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
        {
            Assert.That((await refused.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("type").GetString(), Is.EqualTo("/problems/passkey-challenge-invalid"));
        }

        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.sessions WHERE user_id = 1 AND 'passkey' = ANY(auth_methods)"), Is.EqualTo(1));
        var sequential = await LoginAsync(options, credential.DeepClone());
        Assert.That((await sequential.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("type").GetString(), Is.EqualTo("/problems/passkey-challenge-invalid"));
    }

    [Test]
    public async Task Cleanup_deletes_long_dead_challenges_and_keeps_live_ones()
    {
        var dead = await LoginOptionsAsync();
        var live = await LoginOptionsAsync();
        await ScalarAsync<int>("UPDATE paseto_auth.passkey_challenges SET expires_at = now() - interval '90 days' WHERE id = $1", dead.GetProperty("challenge_id").GetGuid());
        await Factory.Services.GetRequiredService<RetentionCleanup>().RunOnceAsync(CancellationToken.None);
        var left = await ScalarAsync<Guid>("SELECT id FROM paseto_auth.passkey_challenges");
        Assert.That(left, Is.EqualTo(live.GetProperty("challenge_id").GetGuid()));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.passkey_challenges"), Is.EqualTo(1));
    }
}
