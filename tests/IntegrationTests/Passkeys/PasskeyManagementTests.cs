using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Passkeys;

/// <summary>Renaming and removing passkeys, and what a passkey changes for the role gate of DESIGN §9, through real HTTP.</summary>
public sealed class PasskeyManagementTests : PasskeyTestBase
{
    // Admins need a second factor here, as by default: the gate and the last-factor rule are under test.
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Auth:Mfa:RequiredForRoles:0"] = "admin",
    };

    [Test]
    public async Task Rename_changes_the_name_and_another_users_id_is_not_found()
    {
        var (tokens, _, added) = await MemberWithPasskeyAsync("alice");
        var id = added.GetProperty("id").GetGuid();
        var renamed = await Client.SendAsync(HttpMethod.Patch, $"/v1/users/me/passkeys/{id}", tokens.AccessToken, new { name = "Phone" });
        Assert.That(renamed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await renamed.Content.ReadAsStringAsync());
        Assert.That((await renamed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString(), Is.EqualTo("Phone"));

        var bob = await Client.MemberAsync("bob");
        var theirs = await Client.SendAsync(HttpMethod.Patch, $"/v1/users/me/passkeys/{id}", bob.AccessToken, new { name = "Mine now" });
        await theirs.AssertProblemAsync(HttpStatusCode.NotFound);
        var control = await Client.SendAsync(HttpMethod.Patch, $"/v1/users/me/passkeys/{id}", tokens.AccessToken, new { name = "Phone\u0007" });
        Assert.That((await control.AssertProblemAsync(HttpStatusCode.BadRequest)).ErrorFields(), Is.EqualTo(new[] { "name" }));
        Assert.That(await ScalarAsync<string>("SELECT name FROM paseto_auth.passkeys"), Is.EqualTo("Phone"));
    }

    [Test]
    public async Task Remove_needs_a_second_factor_and_the_last_one_takes_the_recovery_codes_along()
    {
        var (tokens, _, added) = await MemberWithPasskeyAsync("alice");
        var id = added.GetProperty("id").GetGuid();
        var bare = await Client.SendAsync(HttpMethod.Delete, $"/v1/users/me/passkeys/{id}", tokens.AccessToken, new { });
        Assert.That((await bare.AssertProblemAsync(HttpStatusCode.Unauthorized)).GetProperty("type").GetString(), Is.EqualTo("/problems/mfa-code-required"));

        var bob = await Client.MemberAsync("bob");
        var theirs = await Client.SendAsync(HttpMethod.Delete, $"/v1/users/me/passkeys/{id}", bob.AccessToken, new { });
        await theirs.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.passkeys"), Is.EqualTo(1));

        var me = await (await Client.GetAsync("/v1/users/me", tokens.AccessToken)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(me.GetProperty("mfa_enabled").GetBoolean(), Is.True);
        var removed = await Client.SendAsync(HttpMethod.Delete, $"/v1/users/me/passkeys/{id}", tokens.AccessToken, new { recovery_code = added.GetProperty("recovery_codes")[0].GetString() });
        Assert.That(removed.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await removed.Content.ReadAsStringAsync());
        Assert.Multiple(async () =>
        {
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.passkeys"), Is.Zero);
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.recovery_codes"), Is.Zero);
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.security_events WHERE type = 'passkey_removed'"), Is.EqualTo(1));
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.mail_outbox WHERE kind = 'passkey_removed'"), Is.EqualTo(1));
        });

        // The caller's cached account sees the change at once.
        me = await (await Client.GetAsync("/v1/users/me", tokens.AccessToken)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(me.GetProperty("mfa_enabled").GetBoolean(), Is.False);
        var login = await Client.LoginAsync("alice");
        Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.OK), "no factor left: the password alone signs in");
    }

    [Test]
    public async Task Remove_with_a_fresh_assertion_of_a_passkey()
    {
        var (tokens, authenticator, added) = await MemberWithPasskeyAsync("alice");
        var second = await RegisterAsync(tokens.AccessToken, new SoftwareAuthenticator(), "Backup", optionsBody: new { password = ApiClientExtensions.Password, recovery_code = added.GetProperty("recovery_codes")[0].GetString() });
        var verification = await Client.SendAsync(HttpMethod.Post, "/v1/users/me/passkeys/verification-options", tokens.AccessToken);
        Assert.That(verification.StatusCode, Is.EqualTo(HttpStatusCode.OK), await verification.Content.ReadAsStringAsync());
        var ceremony = await verification.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(ceremony.GetProperty("options").GetProperty("allowCredentials").GetArrayLength(), Is.EqualTo(2));

        // A step-up challenge signs nobody in.
        var asLogin = await LoginAsync(ceremony, authenticator.Get(ceremony.GetProperty("options")));
        Assert.That((await asLogin.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("type").GetString(), Is.EqualTo("/problems/passkey-challenge-invalid"));

        var assertion = new
        {
            challenge_id = ceremony.GetProperty("challenge_id").GetString(),
            credential = authenticator.Get(ceremony.GetProperty("options")),
        };
        var removed = await Client.SendAsync(HttpMethod.Delete, $"/v1/users/me/passkeys/{second.GetProperty("id").GetGuid()}", tokens.AccessToken, new { assertion });
        Assert.That(removed.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await removed.Content.ReadAsStringAsync());
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.recovery_codes"), Is.EqualTo(10), "a factor is left, and its codes");

        var replayed = await Client.SendAsync(HttpMethod.Delete, $"/v1/users/me/passkeys/{added.GetProperty("id").GetGuid()}", tokens.AccessToken, new { assertion });
        Assert.That((await replayed.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("type").GetString(), Is.EqualTo("/problems/passkey-challenge-invalid"));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.passkeys"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_passkey_satisfies_the_admin_gate_and_is_seen_by_the_cached_session_check_at_once()
    {
        var password = await SignupAdminAsync("root");
        var before = await Client.GetAsync("/v1/users", password.AccessToken);
        Assert.That((await before.AssertProblemAsync(HttpStatusCode.Forbidden)).GetProperty("type").GetString(), Is.EqualTo("/problems/mfa-enrollment-required"));

        var authenticator = new SoftwareAuthenticator();
        var added = await RegisterAsync(password.AccessToken, authenticator);
        var passwordOnly = await Client.GetAsync("/v1/users", password.AccessToken);
        Assert.That((await passwordOnly.AssertProblemAsync(HttpStatusCode.Forbidden)).GetProperty("type").GetString(), Is.EqualTo("/problems/mfa-session-required"));

        var withPasskey = await LoginOkAsync(authenticator);
        var after = await Client.GetAsync("/v1/users", withPasskey.AccessToken);
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.OK), await after.Content.ReadAsStringAsync());

        var last = await Client.SendAsync(HttpMethod.Delete, $"/v1/users/me/passkeys/{added.GetProperty("id").GetGuid()}", withPasskey.AccessToken, new { recovery_code = added.GetProperty("recovery_codes")[0].GetString() });
        Assert.That((await last.AssertProblemAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString(), Does.Contain("requires a second factor"));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.passkeys"), Is.EqualTo(1));
    }

    [Test]
    public async Task Parallel_removals_of_an_admins_last_two_passkeys_leave_one()
    {
        var admin = await SignupAdminAsync("root");
        var first = await RegisterAsync(admin.AccessToken, new SoftwareAuthenticator());
        var codes = first.GetProperty("recovery_codes");
        var second = await RegisterAsync(admin.AccessToken, new SoftwareAuthenticator(), "Backup", optionsBody: new { password = ApiClientExtensions.Password, recovery_code = codes[0].GetString() });

        // Each removal alone sees another factor left; only the lock decides that one of them is the last.
        var removals = await Task.WhenAll(new[] { first, second }.Select((passkey, i) => Client.SendAsync(
            HttpMethod.Delete, $"/v1/users/me/passkeys/{passkey.GetProperty("id").GetGuid()}", admin.AccessToken, new { recovery_code = codes[i + 1].GetString() })));

        Assert.That(removals.Select(r => r.StatusCode).Order(), Is.EqualTo(new[] { HttpStatusCode.NoContent, HttpStatusCode.Conflict }));
        Assert.Multiple(async () =>
        {
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.passkeys"), Is.EqualTo(1));
            Assert.That(await ScalarAsync<bool>("SELECT mfa_enabled FROM paseto_auth.users"), Is.True);
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.recovery_codes WHERE used_at IS NULL"), Is.GreaterThan(0), "the codes stay with the factor left");
        });
    }

    [Test]
    public async Task Turning_totp_off_keeps_the_passkey_and_the_recovery_codes()
    {
        var (tokens, _, _) = await MemberWithPasskeyAsync("alice");
        var enrol = await Client.SendAsync(HttpMethod.Post, "/v1/users/me/mfa/totp", tokens.AccessToken, new { password = ApiClientExtensions.Password });
        Assert.That(enrol.StatusCode, Is.EqualTo(HttpStatusCode.OK), await enrol.Content.ReadAsStringAsync());
        var app = new Mfa.Authenticator((await enrol.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!);
        var confirmed = await Client.SendAsync(HttpMethod.Post, "/v1/users/me/mfa/totp/confirm", tokens.AccessToken, new { code = app.CodeAt(DateTimeOffset.UtcNow) });
        Assert.That(confirmed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await confirmed.Content.ReadAsStringAsync());
        var codes = (await confirmed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("recovery_codes");

        var off = await Client.SendAsync(HttpMethod.Post, "/v1/users/me/mfa/totp/disable", tokens.AccessToken, new { password = ApiClientExtensions.Password, recovery_code = codes[0].GetString() });
        Assert.That(off.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await off.Content.ReadAsStringAsync());
        Assert.Multiple(async () =>
        {
            Assert.That(await ScalarAsync<bool>("SELECT mfa_enabled FROM paseto_auth.users"), Is.True);
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.recovery_codes WHERE used_at IS NULL"), Is.EqualTo(9));
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.passkeys"), Is.EqualTo(1));
        });
        var login = await Client.LoginAsync("alice");
        var problem = await login.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.That(problem.GetProperty("methods").EnumerateArray().Select(m => m.GetString()), Is.EqualTo(new[] { "passkey", "recovery_code" }));
    }
}
