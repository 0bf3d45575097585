using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Users;

public sealed class SignupTests : ApiTestBase
{
    private Task<long> UserCountAsync() => ScalarAsync<long>("SELECT count(*) FROM paseto_auth.users");

    [Test]
    public async Task Signup_returns_201_with_location_and_the_profile_without_the_hash()
    {
        var response = await Client.SignupAsync("alice", "Alice@Example.test");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(response.Headers.Location?.ToString(), Does.EndWith("/v1/users/alice"));
        var text = await response.Content.ReadAsStringAsync();
        var body = JsonSerializer.Deserialize<JsonElement>(text);
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("id").GetInt32(), Is.Positive);
            Assert.That(body.GetProperty("username").GetString(), Is.EqualTo("alice"));
            Assert.That(body.GetProperty("email").GetString(), Is.EqualTo("Alice@Example.test"));
            Assert.That(body.GetProperty("firstname").GetString(), Is.EqualTo("Test"));
            Assert.That(body.GetProperty("role").GetString(), Is.EqualTo("member"));
            Assert.That(body.GetProperty("is_active").GetBoolean(), Is.True);
            Assert.That(body.TryGetProperty("created_at", out _) && body.TryGetProperty("updated_at", out _), Is.True);
            Assert.That(text, Does.Not.Contain("argon2").And.Not.Contain(ApiClientExtensions.Password).And.Not.Contain("password"));
        });
    }

    [Test]
    public async Task The_password_is_stored_as_an_argon2id_phc_string()
    {
        await Client.SignupOkAsync("alice");

        var stored = await ScalarAsync<string>("SELECT password FROM paseto_auth.users WHERE username = 'alice'");

        Assert.That(stored, Does.StartWith("$argon2id$v=19$m=19456,t=2,p=1"));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("wrong-secret")]
    [TestCase("test-referer-secreT")]
    public async Task Signup_with_a_wrong_or_missing_referer_secret_returns_403_and_creates_nothing(string? secret)
    {
        var response = await Client.SignupAsync("alice", secret: secret);

        var problem = await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.That(problem.GetProperty("type").GetString(), Is.EqualTo("/problems/referer-secret"));
        Assert.That(await UserCountAsync(), Is.Zero);
    }

    [Test]
    public async Task The_referer_secret_is_checked_before_validation()
    {
        var response = await Client.SignupAsync("x", password: "short", secret: "wrong");

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [TestCase("al")]
    [TestCase("a-name-that-is-much-too-long-for-us")]
    [TestCase("alice smith")]
    [TestCase("alice!")]
    [TestCase("ålice")]
    [TestCase("alice\n")]
    [TestCase("alice\r\n")]
    [TestCase("\nalice")]
    [TestCase(" alice")]
    [TestCase("alice ")]
    public async Task Signup_with_an_invalid_username_returns_400(string username)
    {
        var response = await Client.SignupAsync(username, email: "valid@example.test");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "username" }));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.users"), Is.Zero, "refused, not trimmed and stored");
    }

    [TestCase("plainaddress")]
    [TestCase("two@@example.test")]
    [TestCase("space @example.test")]
    [TestCase("nodot@example")]
    [TestCase("alice@example.test\n")]
    [TestCase(" alice@example.test")]
    public async Task Signup_with_an_invalid_email_returns_400(string email)
    {
        var response = await Client.SignupAsync("alice", email: email);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "email" }));
    }

    [TestCase("elevenchars")]
    [TestCase("alice")]
    public async Task Signup_with_a_password_outside_the_policy_returns_400(string password)
    {
        var response = await Client.SignupAsync("alice", password: password == "alice" ? "alice" : password);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "password" }));
    }

    [Test]
    public async Task Signup_with_a_password_over_128_characters_returns_400()
    {
        var response = await Client.SignupAsync("alice", password: new string('p', 129));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "password" }));
    }

    [Test]
    public async Task A_password_equal_to_the_username_is_refused()
    {
        var response = await Client.SignupAsync("long_username_1", password: "Long_Username_1");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "password" }));
    }

    [Test]
    public async Task A_password_equal_to_the_email_is_refused()
    {
        var response = await Client.SignupAsync("alice", email: "alice@example.test", password: "alice@example.test");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "password" }));
    }

    [Test]
    public async Task Password_length_counts_characters_after_nfkc_normalisation()
    {
        // Six "ﬁ" ligatures are six characters as typed but twelve ("fi" × 6) after NFKC.
        var response = await Client.SignupAsync("alice", password: "ﬁﬁﬁﬁﬁﬁ");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Unicode_passwords_are_allowed()
    {
        var response = await Client.SignupAsync("alice", password: "пароль-долгий-🔑");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    [Test]
    public async Task Signup_with_a_taken_username_in_other_case_returns_409()
    {
        await Client.SignupOkAsync("Alice");

        var response = await Client.SignupAsync("alice", email: "other@example.test");

        var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("username"));
        Assert.That(await UserCountAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task Signup_with_a_taken_email_in_other_case_returns_409()
    {
        await Client.SignupOkAsync("alice", email: "alice@example.test");

        var response = await Client.SignupAsync("bob", email: "ALICE@EXAMPLE.TEST");

        var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("email"));
    }

    [Test]
    public async Task Many_parallel_signups_of_one_username_give_exactly_one_201_and_the_rest_409()
    {
        // From twelve addresses, so the per-address signup budget is not what answers.
        var attempts = Enumerable.Range(0, 12)
            .Select(i =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, "/v1/users/signup")
                {
                    Content = JsonContent.Create(ApiClientExtensions.SignupBody("racer", email: $"racer{i}@example.test")),
                };
                request.Headers.Add(TestClientAddress.Header, $"198.51.100.{i + 1}");
                return Client.SendAsync(request);
            })
            .ToArray();

        var statuses = (await Task.WhenAll(attempts)).Select(r => r.StatusCode).ToArray();

        Assert.That(statuses.Count(s => s == HttpStatusCode.Created), Is.EqualTo(1));
        Assert.That(statuses.Count(s => s == HttpStatusCode.Conflict), Is.EqualTo(11));
        Assert.That(await UserCountAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task Role_member_may_be_chosen_at_signup()
    {
        var response = await Client.PostAsJsonAsync("/v1/users/signup", ApiClientExtensions.SignupBody("alice", role: "member"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    [TestCase("admin")]
    [TestCase("superuser")]
    public async Task A_role_outside_the_self_assignable_set_returns_400(string role)
    {
        var response = await Client.PostAsJsonAsync("/v1/users/signup", ApiClientExtensions.SignupBody("alice", role: role));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "role" }));
        Assert.That(await UserCountAsync(), Is.Zero);
    }

    [Test]
    public async Task Control_characters_and_lone_surrogates_are_refused_not_stored()
    {
        var body = """{"username":"alice","email":"alice@example.test","password":"correct horse battery staple","firstname":"A\u0000\ud800","referer_secret":"test-referer-secret"}""";

        var response = await Client.PostAsync("/v1/users/signup", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "firstname" }));
    }
}
