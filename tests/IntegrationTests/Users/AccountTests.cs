using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Users;

public sealed class AccountTests : ApiTestBase
{
    private const string NewPassword = "an entirely new passphrase";

    [Test]
    public async Task Changing_the_first_name_needs_no_password_and_moves_updated_at()
    {
        var alice = await Client.MemberAsync("alice");
        var before = await ScalarAsync<DateTime>("SELECT updated_at FROM paseto_auth.users");

        var response = await Client.SendAsync(HttpMethod.Patch, "/v1/users/me", alice.AccessToken, new { firstname = "Alicia" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("firstname").GetString(), Is.EqualTo("Alicia"));
        Assert.That(await ScalarAsync<DateTime>("SELECT updated_at FROM paseto_auth.users"), Is.GreaterThan(before));
    }

    [Test]
    public async Task Changing_nothing_is_a_200_with_the_profile()
    {
        var alice = await Client.MemberAsync("alice");

        var response = await Client.SendAsync(HttpMethod.Patch, "/v1/users/me", alice.AccessToken, new { username = "alice" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("username").GetString(), Is.EqualTo("alice"));
    }

    [Test]
    public async Task Changing_the_email_without_the_current_password_is_a_400()
    {
        var alice = await Client.MemberAsync("alice");

        var response = await Client.SendAsync(HttpMethod.Patch, "/v1/users/me", alice.AccessToken, new { email = "new@example.test" });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "current_password" }));
        Assert.That(await ScalarAsync<string>("SELECT email FROM paseto_auth.users"), Is.EqualTo("alice@example.test"));
    }

    [Test]
    public async Task Changing_the_username_with_a_wrong_password_is_a_401_and_changes_nothing()
    {
        var alice = await Client.MemberAsync("alice");

        var response = await Client.SendAsync(HttpMethod.Patch, "/v1/users/me", alice.AccessToken, new { username = "alice2", current_password = "not my password" });

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.That(await ScalarAsync<string>("SELECT username FROM paseto_auth.users"), Is.EqualTo("alice"));
    }

    [Test]
    public async Task Changing_email_and_username_with_the_password_renames_at_once_and_the_email_waits()
    {
        var alice = await Client.MemberAsync("alice");

        var response = await Client.SendAsync(HttpMethod.Patch, "/v1/users/me", alice.AccessToken,
            new { username = "alice_new", email = "alice.new@example.test", current_password = ApiClientExtensions.Password });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var profile = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(profile.GetProperty("pending_email").GetString(), Is.EqualTo("alice.new@example.test"));
        Assert.That((await Client.LoginAsync("alice_new")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        // The new address counts once a link sent to it is used (Email.EmailChangeTests).
        Assert.That((await Client.LoginAsync("alice.new@example.test")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await Client.LoginAsync("alice@example.test")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await Client.LoginAsync("alice")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Taking_someone_elses_username_in_another_case_is_a_409()
    {
        await Client.SignupOkAsync("Bob");
        var alice = await Client.MemberAsync("alice");

        var response = await Client.SendAsync(HttpMethod.Patch, "/v1/users/me", alice.AccessToken, new { username = "BOB", current_password = ApiClientExtensions.Password });

        await response.AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Test]
    public async Task Taking_someone_elses_email_is_a_409()
    {
        await Client.SignupOkAsync("bob", email: "bob@example.test");
        var alice = await Client.MemberAsync("alice");

        var response = await Client.SendAsync(HttpMethod.Patch, "/v1/users/me", alice.AccessToken, new { email = "Bob@Example.test", current_password = ApiClientExtensions.Password });

        await response.AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [TestCase("no spaces allowed")]
    [TestCase("alice2\n")]
    [TestCase("alice2\r\n")]
    [TestCase("alice2 ")]
    public async Task An_invalid_new_username_is_a_400_and_changes_nothing(string username)
    {
        var alice = await Client.MemberAsync("alice");

        var response = await Client.SendAsync(HttpMethod.Patch, "/v1/users/me", alice.AccessToken, new { username, current_password = ApiClientExtensions.Password });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "username" }));
        Assert.That(await ScalarAsync<string>("SELECT username FROM paseto_auth.users"), Is.EqualTo("alice"));
    }

    [Test]
    public async Task Changing_the_password_revokes_every_other_session_and_keeps_this_one()
    {
        var laptop = await Client.MemberAsync("alice");
        var phone = await Client.LoginOkAsync("alice");

        var response = await Client.SendAsync(HttpMethod.Put, "/v1/users/me/password", laptop.AccessToken,
            new { current_password = ApiClientExtensions.Password, new_password = NewPassword });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await Client.GetAsync("/v1/users/me", laptop.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await Client.GetAsync("/v1/users/me", phone.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await ScalarAsync<string>("SELECT revoke_reason FROM paseto_auth.sessions WHERE id = $1", phone.SessionId), Is.EqualTo("password_changed"));
        Assert.That((await Client.LoginAsync("alice", NewPassword)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await Client.LoginAsync("alice")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Changing_the_password_with_a_wrong_current_one_is_a_401_and_changes_nothing()
    {
        var alice = await Client.MemberAsync("alice");
        var hash = await ScalarAsync<string>("SELECT password FROM paseto_auth.users");

        var response = await Client.SendAsync(HttpMethod.Put, "/v1/users/me/password", alice.AccessToken,
            new { current_password = "not my password", new_password = NewPassword });

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.That(await ScalarAsync<string>("SELECT password FROM paseto_auth.users"), Is.EqualTo(hash));
    }

    [TestCase("short")]
    [TestCase("alice")]
    public async Task A_new_password_outside_the_policy_is_a_400(string newPassword)
    {
        var alice = await Client.MemberAsync("alice");

        var response = await Client.SendAsync(HttpMethod.Put, "/v1/users/me/password", alice.AccessToken,
            new { current_password = ApiClientExtensions.Password, new_password = newPassword });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "new_password" }));
    }

    [Test]
    public async Task Deactivating_revokes_every_session_and_login_then_fails_like_a_wrong_password()
    {
        var alice = await Client.MemberAsync("alice");
        var other = await Client.LoginOkAsync("alice");

        var response = await Client.SendAsync(HttpMethod.Post, "/v1/users/me/deactivate", alice.AccessToken, new { password = ApiClientExtensions.Password });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await Client.GetAsync("/v1/users/me", alice.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await Client.GetAsync("/v1/users/me", other.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var refused = await (await Client.LoginAsync("alice")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        var wrong = await (await Client.LoginAsync("nobody")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.That(refused.GetProperty("detail").GetString(), Is.EqualTo(wrong.GetProperty("detail").GetString()));
    }

    [Test]
    public async Task Deactivating_with_a_wrong_password_is_a_401_and_the_account_stays()
    {
        var alice = await Client.MemberAsync("alice");

        var response = await Client.SendAsync(HttpMethod.Post, "/v1/users/me/deactivate", alice.AccessToken, new { password = "not my password" });

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.That(await ScalarAsync<bool>("SELECT is_active FROM paseto_auth.users"), Is.True);
    }

    [Test]
    public async Task Deactivating_without_a_password_is_a_400()
    {
        var alice = await Client.MemberAsync("alice");

        var response = await Client.SendAsync(HttpMethod.Post, "/v1/users/me/deactivate", alice.AccessToken, new { });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "password" }));
    }
}
