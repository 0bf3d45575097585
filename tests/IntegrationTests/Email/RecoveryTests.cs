using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Email;

/// <summary>DESIGN §8: forgot answers alike for every address; reset sets the password once and ends every session.</summary>
public sealed class RecoveryTests : EmailTestBase
{
    private const string NewPassword = "a brand new passphrase of mine";

    private Task<HttpResponseMessage> ForgotAsync(string email, string? ip = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/password/forgot") { Content = JsonContent.Create(new { email }) };
        if (ip is not null)
        {
            request.Headers.Add(TestClientAddress.Header, ip);
        }

        return Client.SendAsync(request);
    }

    private Task<HttpResponseMessage> ResetAsync(string token, string password = NewPassword) =>
        Client.PostAsJsonAsync("/v1/password/reset", new { token, new_password = password });

    [Test]
    public async Task Forgot_answers_the_same_for_a_known_and_an_unknown_address_and_mails_only_the_known()
    {
        await Client.SignupOkAsync("alice");
        var known = await ForgotAsync("Alice@Example.test");
        var unknown = await ForgotAsync("nobody@example.test");

        Assert.That(known.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(await unknown.Content.ReadAsStringAsync(), Is.EqualTo(await known.Content.ReadAsStringAsync()));
        var mail = await Mail.WaitForAsync("alice@example.test", "Reset your password");
        TokenOf(mail, "reset-password");
        var received = await SettleAsync();
        Assert.That(received.Count(m => m.To.Mailboxes.Any(b => b.Address == "nobody@example.test")), Is.Zero);
    }

    [Test]
    public async Task Reset_sets_the_password_ends_every_session_verifies_the_address_and_notices()
    {
        var first = await Client.MemberAsync("alice");
        var second = await Client.LoginOkAsync("alice", deviceToken: first.DeviceToken);
        await ForgotAsync("alice@example.test");
        var token = TokenOf(await Mail.WaitForAsync("alice@example.test", "Reset your password"), "reset-password");

        Assert.That((await ResetAsync(token)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        foreach (var old in new[] { first, second })
        {
            await (await Client.GetAsync("/v1/users/me", old.AccessToken)).AssertProblemAsync(HttpStatusCode.Unauthorized);
            var refresh = await Client.PostAsJsonAsync("/v1/token/refresh", new { refresh_token = old.RefreshToken });
            await refresh.AssertProblemAsync(HttpStatusCode.Unauthorized);
        }

        await (await Client.LoginAsync("alice")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        var fresh = await Client.LoginOkAsync("alice", NewPassword, first.DeviceToken);
        Assert.That((await ProfileAsync(fresh.AccessToken)).GetProperty("email_verified").GetBoolean(), Is.True);
        var notice = await Mail.WaitForAsync("alice@example.test", "Your password was reset");
        Assert.That(notice.TextBody, Does.Contain("127.0.0.1"));
        var events = await (await Client.GetAsync("/v1/users/me/events?type=password_reset", fresh.AccessToken)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(events.GetProperty("items").GetArrayLength(), Is.EqualTo(1));
        await (await ResetAsync(token, "yet another passphrase here")).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task A_new_request_kills_the_earlier_reset_link()
    {
        await Client.SignupOkAsync("alice");
        await ForgotAsync("alice@example.test");
        var first = TokenOf(await Mail.WaitForAsync("alice@example.test", "Reset your password"), "reset-password");
        await ForgotAsync("alice@example.test");
        var second = TokenOf(await Mail.WaitForAsync("alice@example.test", "Reset your password", skip: 1), "reset-password");

        await (await ResetAsync(first)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That((await ResetAsync(second)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
    }

    [Test]
    public async Task Of_parallel_resets_with_one_token_exactly_one_sets_the_password()
    {
        await Client.SignupOkAsync("alice");
        await ForgotAsync("alice@example.test");
        var token = TokenOf(await Mail.WaitForAsync("alice@example.test", "Reset your password"), "reset-password");

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => ResetAsync(token, $"parallel passphrase number {i}")));

        Assert.That(answers.Count(a => a.StatusCode == HttpStatusCode.NoContent), Is.EqualTo(1));
        Assert.That(answers.Count(a => a.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Conflict), Is.EqualTo(7));
    }

    [Test]
    public async Task A_reset_to_a_policy_breaking_password_is_a_400_and_keeps_the_token()
    {
        await Client.SignupOkAsync("alice");
        await ForgotAsync("alice@example.test");
        var token = TokenOf(await Mail.WaitForAsync("alice@example.test", "Reset your password"), "reset-password");

        foreach (var bad in new[] { "short", "alice@example.test", "password1234" })
        {
            var problem = await (await ResetAsync(token, bad)).AssertProblemAsync(HttpStatusCode.BadRequest);
            Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "new_password" }), bad);
        }

        Assert.That((await ResetAsync(token)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
    }

    [Test]
    public async Task An_expired_reset_token_is_refused()
    {
        await Client.SignupOkAsync("alice");
        await ForgotAsync("alice@example.test");
        var token = TokenOf(await Mail.WaitForAsync("alice@example.test", "Reset your password"), "reset-password");
        await ScalarAsync<int>("UPDATE paseto_auth.email_tokens SET expires_at = now() - interval '1 second' WHERE purpose = 'reset_password' RETURNING 1");

        await (await ResetAsync(token)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That((await Client.LoginAsync("alice")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_verification_token_is_no_reset_token()
    {
        await Client.SignupOkAsync("alice");
        var token = TokenOf(await Mail.WaitForAsync("alice@example.test", "Confirm your email address"), "verify-email");

        await (await ResetAsync(token)).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [TestCase("not an address")]
    [TestCase("")]
    public async Task Forgot_with_a_bad_address_is_a_400_naming_the_field(string email)
    {
        var problem = await (await ForgotAsync(email)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "email" }));
    }

    [Test]
    public async Task A_burst_for_one_address_is_throttled_alike_whether_or_not_it_has_an_account()
    {
        await Client.SignupOkAsync("alice");
        var known = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => ForgotAsync("alice@example.test", $"10.1.0.{i + 1}")));
        var unknown = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => ForgotAsync("nobody@example.test", $"10.2.0.{i + 1}")));

        foreach (var answers in new[] { known, unknown })
        {
            Assert.That(answers.Count(a => a.StatusCode == HttpStatusCode.Accepted), Is.EqualTo(5));
            Assert.That(answers.Count(a => a.StatusCode == HttpStatusCode.TooManyRequests), Is.EqualTo(7));
        }

        var (k, u) = (known.First(a => a.StatusCode == HttpStatusCode.TooManyRequests), unknown.First(a => a.StatusCode == HttpStatusCode.TooManyRequests));
        var (kp, up) = (await k.AssertProblemAsync(HttpStatusCode.TooManyRequests), await u.AssertProblemAsync(HttpStatusCode.TooManyRequests));
        Assert.That(kp.GetProperty("detail").GetString(), Is.EqualTo(up.GetProperty("detail").GetString()));
    }

    [Test]
    public async Task A_burst_from_one_client_address_is_throttled()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => ForgotAsync($"someone{i}@example.test", "10.3.0.1")));

        Assert.That(answers.Count(a => a.StatusCode == HttpStatusCode.Accepted), Is.EqualTo(20));
        Assert.That(answers.Count(a => a.StatusCode == HttpStatusCode.TooManyRequests), Is.EqualTo(10));
    }
}
