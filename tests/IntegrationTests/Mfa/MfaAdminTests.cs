using System.Net;
using System.Net.Http.Json;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Mfa;

/// <summary><c>Auth:Mfa:RequiredForRoles</c> (here its default, admin): the endpoints that need the role need the factor.</summary>
public sealed class MfaAdminTests : MfaTestBase
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        // The product's default, which the other fixtures turn off for their password-only admins.
        ["Auth:Mfa:RequiredForRoles:0"] = "admin",
    };

    private Task<int> PromoteAsync(string username) =>
        ScalarAsync<int>("UPDATE paseto_auth.users SET role = 'admin' WHERE username = $1 RETURNING 1", username);

    [Test]
    public async Task An_admin_without_a_factor_is_asked_to_enrol_and_members_endpoints_still_answer()
    {
        var root = await Api.MemberAsync("root");
        await PromoteAsync("root");
        var list = await Api.GetAsync("/v1/users", root.AccessToken);
        var problem = await list.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.That(problem.GetProperty("type").GetString(), Is.EqualTo("/problems/mfa-enrollment-required"));
        Assert.That((await Api.GetAsync("/v1/users/me", root.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task An_admin_with_a_factor_needs_a_session_that_used_it()
    {
        var root = await EnrolledAsync("root");
        await PromoteAsync("root");
        // The session of the enrolment was a password login.
        var passwordOnly = await Api.GetAsync("/v1/users", root.Tokens.AccessToken);
        Assert.That(await ProblemTypeAsync(passwordOnly), Is.EqualTo("/problems/mfa-session-required"));
        Assert.That(passwordOnly.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        var withFactor = await LoginWithCodeAsync("root", root.App);
        Assert.That((await Api.GetAsync("/v1/users", withFactor.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var refreshed = await ApiClientExtensions.ReadTokensAsync(await Api.PostAsJsonAsync("/v1/token/refresh", new { refresh_token = withFactor.RefreshToken }));
        Assert.That((await Api.GetAsync("/v1/users", refreshed.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.OK), "a refresh keeps what the login used");
    }

    [Test]
    public async Task An_admin_cannot_remove_the_last_factor()
    {
        var root = await EnrolledAsync("root");
        await PromoteAsync("root");
        var session = await LoginWithCodeAsync("root", root.App);
        Clock.NextStep();
        var refused = await Api.SendAsync(HttpMethod.Post, "/v1/users/me/mfa/totp/disable", session.AccessToken,
            new { password = ApiClientExtensions.Password, code = root.App.CodeAt(Clock.GetUtcNow()) });
        await refused.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.That(await ScalarAsync<bool>("SELECT mfa_enabled FROM paseto_auth.users WHERE username = 'root'"), Is.True);
    }

    [Test]
    public async Task An_admin_removes_a_locked_out_users_factors_which_is_recorded_and_mailed()
    {
        var root = await EnrolledAsync("root");
        await PromoteAsync("root");
        var admin = await LoginWithCodeAsync("root", root.App);
        await EnrolledAsync("alice");
        await PasswordStepAsync("alice");

        var removed = await Api.SendAsync(HttpMethod.Delete, "/v1/users/alice/mfa", admin.AccessToken);
        Assert.That(removed.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await removed.Content.ReadAsStringAsync());
        Assert.Multiple(async () =>
        {
            Assert.That((await Api.LoginAsync("alice")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await ScalarAsync<string>("""
                SELECT e.details->>'admin' FROM paseto_auth.security_events e JOIN paseto_auth.users u ON u.id = e.user_id
                WHERE u.username = 'alice' AND e.type = 'mfa_disabled'
                """), Is.EqualTo("root"));
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.mail_outbox WHERE kind = 'mfa_disabled' AND recipient = 'alice@example.test'"), Is.EqualTo(1));
        });

        var members = await Api.MemberAsync("bob");
        Assert.That((await Api.SendAsync(HttpMethod.Delete, "/v1/users/alice/mfa", members.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await Api.SendAsync(HttpMethod.Delete, "/v1/users/alice/mfa", admin.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "nothing left to remove");
    }
}
