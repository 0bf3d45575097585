using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Users;

public sealed class ProfileTests : ApiTestBase
{
    [Test]
    public async Task Me_returns_the_callers_full_profile()
    {
        var tokens = await Client.MemberAsync("alice");

        var response = await Client.GetAsync("/v1/users/me", tokens.AccessToken);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(body.GetProperty("username").GetString(), Is.EqualTo("alice"));
        Assert.That(body.GetProperty("email").GetString(), Is.EqualTo("alice@example.test"));
        Assert.That(body.TryGetProperty("password", out _), Is.False);
    }

    [Test]
    public async Task Another_member_sees_the_profile_without_email()
    {
        await Client.SignupOkAsync("alice");
        var bob = await Client.MemberAsync("bob");

        var body = await (await Client.GetAsync("/v1/users/alice", bob.AccessToken)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(body.GetProperty("username").GetString(), Is.EqualTo("alice"));
        Assert.That(body.TryGetProperty("email", out _), Is.False);
    }

    [Test]
    public async Task The_owner_sees_their_own_profile_page_with_email_in_any_case()
    {
        var alice = await Client.MemberAsync("alice");

        var body = await (await Client.GetAsync("/v1/users/ALICE", alice.AccessToken)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(body.GetProperty("email").GetString(), Is.EqualTo("alice@example.test"));
    }

    [Test]
    public async Task An_admin_sees_the_email_and_the_role_comes_from_the_database_not_the_token()
    {
        await Client.SignupOkAsync("alice");
        var bob = await Client.MemberAsync("bob");
        await ScalarAsync<int>("UPDATE paseto_auth.users SET role = 'admin' WHERE username = 'bob'");

        // Bob's token still says "member"; the row he is checked against now says "admin".
        var body = await (await Client.GetAsync("/v1/users/alice", bob.AccessToken)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(body.GetProperty("email").GetString(), Is.EqualTo("alice@example.test"));
    }

    [TestCase("nobody")]
    [TestCase("%20")]
    [TestCase("%20%09")]
    public async Task An_unknown_or_blank_username_is_a_404_problem(string username)
    {
        var alice = await Client.MemberAsync("alice");

        var response = await Client.GetAsync($"/v1/users/{username}", alice.AccessToken);

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Profile_pages_need_a_token()
    {
        await Client.SignupOkAsync("alice");

        var response = await Client.GetAsync("/v1/users/alice");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Is.EqualTo("Bearer"));
    }
}
