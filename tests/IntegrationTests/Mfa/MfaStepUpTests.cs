using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Mfa;

/// <summary>With a factor on, risky changes also need a current code (ASVS 7.5.1), and managing the factor too.</summary>
public sealed class MfaStepUpTests : MfaTestBase
{
    private const string NewPassword = "a brand new passphrase";

    [Test]
    public async Task A_password_change_without_a_code_is_refused_and_changes_nothing()
    {
        var alice = await EnrolledAsync("alice");
        var refused = await Api.SendAsync(HttpMethod.Put, "/v1/users/me/password", alice.Tokens.AccessToken,
            new { current_password = ApiClientExtensions.Password, new_password = NewPassword });
        var problem = await refused.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.That(problem.GetProperty("type").GetString(), Is.EqualTo("/problems/mfa-code-required"));
        Assert.That(refused.Headers.WwwAuthenticate.ToString(), Is.EqualTo("Bearer"), "the token is fine: no invalid_token");
        Assert.That((await Api.LoginAsync("alice", NewPassword)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));

        Clock.NextStep();
        var wrong = await Api.SendAsync(HttpMethod.Put, "/v1/users/me/password", alice.Tokens.AccessToken,
            new { current_password = ApiClientExtensions.Password, new_password = NewPassword, code = Other(alice.App.CodeAt(Clock.GetUtcNow())) });
        Assert.That(await ProblemTypeAsync(wrong), Is.EqualTo("/problems/wrong-mfa-code"));

        var changed = await Api.SendAsync(HttpMethod.Put, "/v1/users/me/password", alice.Tokens.AccessToken,
            new { current_password = ApiClientExtensions.Password, new_password = NewPassword, code = alice.App.CodeAt(Clock.GetUtcNow()) });
        Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await changed.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task An_email_change_and_a_deactivation_need_a_code_too()
    {
        var alice = await EnrolledAsync("alice");
        var email = await Api.SendAsync(HttpMethod.Patch, "/v1/users/me", alice.Tokens.AccessToken,
            new { email = "new-alice@example.test", current_password = ApiClientExtensions.Password });
        Assert.That(await ProblemTypeAsync(email), Is.EqualTo("/problems/mfa-code-required"));
        Assert.That(await ScalarAsync<string?>("SELECT pending_email FROM paseto_auth.users"), Is.Null);

        var deactivate = await Api.SendAsync(HttpMethod.Post, "/v1/users/me/deactivate", alice.Tokens.AccessToken, new { password = ApiClientExtensions.Password });
        Assert.That(await ProblemTypeAsync(deactivate), Is.EqualTo("/problems/mfa-code-required"));
        Assert.That(await ScalarAsync<bool>("SELECT is_active FROM paseto_auth.users"), Is.True);

        // A first name needs nothing more.
        var name = await Api.SendAsync(HttpMethod.Patch, "/v1/users/me", alice.Tokens.AccessToken, new { firstname = "Ally" });
        Assert.That(name.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var withRecovery = await Api.SendAsync(HttpMethod.Post, "/v1/users/me/deactivate", alice.Tokens.AccessToken,
            new { password = ApiClientExtensions.Password, recovery_code = alice.RecoveryCodes[0] });
        Assert.That(withRecovery.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await withRecovery.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Disabling_needs_the_password_and_a_code_and_then_login_is_a_password_again()
    {
        var alice = await EnrolledAsync("alice");
        var noCode = await Api.SendAsync(HttpMethod.Post, "/v1/users/me/mfa/totp/disable", alice.Tokens.AccessToken, new { password = ApiClientExtensions.Password });
        Assert.That(await ProblemTypeAsync(noCode), Is.EqualTo("/problems/mfa-code-required"));
        Clock.NextStep();
        var code = alice.App.CodeAt(Clock.GetUtcNow());
        var wrongPassword = await Api.SendAsync(HttpMethod.Post, "/v1/users/me/mfa/totp/disable", alice.Tokens.AccessToken, new { password = "not the password at all", code });
        Assert.That(await ProblemTypeAsync(wrongPassword), Is.EqualTo("/problems/wrong-password"));

        var disabled = await Api.SendAsync(HttpMethod.Post, "/v1/users/me/mfa/totp/disable", alice.Tokens.AccessToken, new { password = ApiClientExtensions.Password, code });
        Assert.That(disabled.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await disabled.Content.ReadAsStringAsync());
        Assert.Multiple(async () =>
        {
            Assert.That((await Api.LoginAsync("alice")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.totp_factors"), Is.Zero);
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.recovery_codes"), Is.Zero);
            Assert.That(await ScalarAsync<bool>("SELECT mfa_enabled FROM paseto_auth.users"), Is.False);
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.mail_outbox WHERE kind = 'mfa_disabled'"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task New_recovery_codes_kill_the_old_ones()
    {
        var alice = await EnrolledAsync("alice");
        Clock.NextStep();
        var response = await Api.SendAsync(HttpMethod.Post, "/v1/users/me/mfa/recovery-codes", alice.Tokens.AccessToken,
            new { password = ApiClientExtensions.Password, code = alice.App.CodeAt(Clock.GetUtcNow()) });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var fresh = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("recovery_codes").EnumerateArray().Select(c => c.GetString()!).ToList();
        Assert.That(fresh, Has.Count.EqualTo(10));
        Assert.That(fresh, Has.None.AnyOf(alice.RecoveryCodes.ToArray()));

        var old = await MfaLoginAsync(await PasswordStepAsync("alice"), recoveryCode: alice.RecoveryCodes[0]);
        Assert.That(await ProblemTypeAsync(old), Is.EqualTo("/problems/wrong-mfa-code"));
        Assert.That((await MfaLoginAsync(await PasswordStepAsync("alice"), recoveryCode: fresh[0])).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.mail_outbox WHERE kind = 'recovery_codes_regenerated'"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_reset_by_mail_without_a_code_is_refused_and_the_link_still_works_with_one()
    {
        var alice = await EnrolledAsync("alice");
        var forgot = await Api.PostAsJsonAsync("/v1/password/forgot", new { email = "alice@example.test" });
        Assert.That(forgot.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        // The link's token as the mail would carry it: minted here and stored hashed, as the sender does.
        var token = await MintResetTokenAsync();

        var refused = await Api.PostAsJsonAsync("/v1/password/reset", new { token, new_password = NewPassword });
        Assert.That(await ProblemTypeAsync(refused), Is.EqualTo("/problems/mfa-code-required"));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await Api.LoginAsync("alice", NewPassword)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));

        Clock.NextStep();
        var reset = await Api.PostAsJsonAsync("/v1/password/reset", new { token, new_password = NewPassword, code = alice.App.CodeAt(Clock.GetUtcNow()) });
        Assert.That(reset.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await reset.Content.ReadAsStringAsync());
        var login = await (await Api.LoginAsync("alice", NewPassword)).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.That(login.GetProperty("type").GetString(), Is.EqualTo("/problems/mfa-required"), "the new password, and still the factor");
    }

    /// <summary>Puts a reset token of alice's in the table, as the outbox sender mints one at send time; returns it.</summary>
    private async Task<string> MintResetTokenAsync()
    {
        var token = System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var hash = System.Security.Cryptography.SHA256.HashData(System.Buffers.Text.Base64Url.DecodeFromChars(token));
        await ScalarAsync<int>("""
            INSERT INTO paseto_auth.email_tokens (user_id, purpose, address, token_hash, created_at, expires_at)
            SELECT id, 'reset_password', email, $1, now(), now() + interval '1 hour' FROM paseto_auth.users WHERE username = 'alice'
            RETURNING 1
            """, hash);
        return token;
    }

    private static string Other(string code) => code == "000000" ? "111111" : "000000";
}
