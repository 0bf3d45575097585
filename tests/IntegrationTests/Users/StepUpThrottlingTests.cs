using System.Net;
using System.Text.Json;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Users;

/// <summary>
/// The current password re-entered for a sensitive change (step-up): a stolen access token must
/// not be a way to guess it. Defaults: the fifth wrong password ends the session, and an account
/// takes at most ten wrong ones an hour from all its sessions.
/// </summary>
public sealed class StepUpThrottlingTests : ApiTestBase
{
    private const string NewPassword = "an entirely new passphrase";

    /// <summary>The three operations that ask for the current password, each with a wrong one.</summary>
    private static Task<HttpResponseMessage> WrongStepUpAsync(HttpClient client, string operation, string accessToken, string guess) => operation switch
    {
        "change_password" => client.SendAsync(HttpMethod.Put, "/v1/users/me/password", accessToken, new { current_password = guess, new_password = NewPassword }),
        "update_profile" => client.SendAsync(HttpMethod.Patch, "/v1/users/me", accessToken, new { username = "renamed", current_password = guess }),
        "deactivate_account" => client.SendAsync(HttpMethod.Post, "/v1/users/me/deactivate", accessToken, new { password = guess }),
        _ => throw new ArgumentOutOfRangeException(nameof(operation)),
    };

    private Task<long> FailedChecksAsync() =>
        ScalarAsync<long>("SELECT count(*) FROM paseto_auth.security_events WHERE type = 'password_check_failed'");

    [TestCase("change_password")]
    [TestCase("update_profile")]
    [TestCase("deactivate_account")]
    public async Task A_wrong_current_password_is_a_401_of_its_own_that_does_not_say_the_token_is_bad(string operation)
    {
        var alice = await Client.MemberAsync("alice");

        var response = await WrongStepUpAsync(Client, operation, alice.AccessToken, "not my password at all");

        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Multiple(() =>
        {
            Assert.That(problem.GetProperty("type").GetString(), Is.EqualTo("/problems/wrong-password"));
            Assert.That(response.Headers.WwwAuthenticate.ToString(), Is.EqualTo("Bearer"), "no error=\"invalid_token\": the client must not refresh");
        });
        Assert.That((await Client.GetAsync("/v1/users/me", alice.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the token still works");
        var details = JsonSerializer.Deserialize<JsonElement>(await ScalarAsync<string>(
            "SELECT details::text FROM paseto_auth.security_events WHERE type = 'password_check_failed' AND session_id = $1", alice.SessionId) ?? "null");
        Assert.That(details.GetProperty("operation").GetString(), Is.EqualTo(operation));
    }

    [Test]
    public async Task A_burst_of_wrong_passwords_on_one_session_gets_five_checks_and_the_fifth_ends_the_session()
    {
        var alice = await Client.MemberAsync("alice");

        var burst = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            WrongStepUpAsync(Client, "change_password", alice.AccessToken, $"wrong guess number {i}")));

        Assert.That(await FailedChecksAsync(), Is.EqualTo(5), "as many password checks as the same guesses one by one");
        Assert.That(burst.Select(r => r.StatusCode), Has.All.AnyOf(HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests));
        Assert.That(await ScalarAsync<string>("SELECT revoke_reason FROM paseto_auth.sessions WHERE id = $1", alice.SessionId),
            Is.EqualTo("wrong_password_limit"));
        var revoked = await ScalarAsync<string>(
            "SELECT details::text FROM paseto_auth.security_events WHERE type = 'session_revoked' AND session_id = $1", alice.SessionId);
        Assert.That(JsonSerializer.Deserialize<JsonElement>(revoked!).GetProperty("by").GetString(), Is.EqualTo("throttle"));
        var ending = burst.Where(r => r.Headers.WwwAuthenticate.ToString().Contains("invalid_token", StringComparison.Ordinal)).ToList();
        Assert.That(ending, Is.Not.Empty, "the answer to the fifth wrong password says the token is dead now");
        var after = await WrongStepUpAsync(Client, "change_password", alice.AccessToken, ApiClientExtensions.Password);
        await after.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.That(after.Headers.WwwAuthenticate.ToString(), Does.Contain("invalid_token"));
        Assert.That((await Client.LoginAsync("alice", NewPassword)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the password never changed");
    }

    [Test]
    public async Task Many_sessions_together_get_at_most_the_account_budget_of_checks_an_hour()
    {
        await Client.SignupOkAsync("alice");
        var sessions = new List<Tokens>();
        for (var i = 0; i < 4; i++)
        {
            sessions.Add(await Client.LoginOkAsync("alice"));
        }

        var bursts = await Task.WhenAll(sessions.SelectMany(s => Enumerable.Range(0, 8).Select(i =>
            WrongStepUpAsync(Client, i % 2 == 0 ? "update_profile" : "deactivate_account", s.AccessToken, $"wrong guess number {i}"))));

        Assert.That(await FailedChecksAsync(), Is.EqualTo(10), "Auth:Throttling:StepUpFailuresPerHour, across sessions and operations");
        var throttled = bursts.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        var problem = await throttled.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.That(problem.GetProperty("type").GetString(), Is.EqualTo("/problems/too-many-requests"));
        Assert.That(throttled.Headers.RetryAfter?.Delta?.TotalSeconds, Is.Not.Null.And.GreaterThan(0));
        Assert.That(await ScalarAsync<bool>("SELECT is_active FROM paseto_auth.users WHERE username = 'alice'"), Is.True);
    }

    [Test]
    public async Task Right_passwords_are_never_counted()
    {
        var alice = await Client.MemberAsync("alice");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
        {
            statuses.Add((await Client.SendAsync(HttpMethod.Patch, "/v1/users/me", alice.AccessToken,
                new { username = $"alice{i}", current_password = ApiClientExtensions.Password })).StatusCode);
        }

        Assert.That(statuses, Has.All.EqualTo(HttpStatusCode.OK), "twelve step-ups, more than either budget");
        Assert.That(await FailedChecksAsync(), Is.Zero);
    }
}
