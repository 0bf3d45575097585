using System.Net;
using System.Net.Http.Json;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Email;

/// <summary>DESIGN §8: signup mails a link; the link's token, POSTed, verifies the address, once.</summary>
public sealed class VerificationTests : EmailTestBase
{
    [Test]
    public async Task Signup_mails_a_link_whose_token_verifies_the_address_once()
    {
        var tokens = await Client.MemberAsync("alice");
        Assert.That((await ProfileAsync(tokens.AccessToken)).GetProperty("email_verified").GetBoolean(), Is.False);

        var mail = await Mail.WaitForAsync("alice@example.test", "Confirm your email address");
        var token = TokenOf(mail, "verify-email");
        Assert.That((await VerifyAsync(token)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        var profile = await ProfileAsync(tokens.AccessToken);
        Assert.That(profile.GetProperty("email_verified").GetBoolean(), Is.True);
        var reused = await (await VerifyAsync(token)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(reused.ErrorFields(), Is.EqualTo(new[] { "token" }));
    }

    [Test]
    public async Task Only_the_hash_of_a_token_is_stored_and_a_sent_mail_keeps_no_body()
    {
        await Client.SignupOkAsync("alice");
        var token = TokenOf(await Mail.WaitForAsync("alice@example.test", "Confirm your email address"), "verify-email");
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Convert.FromBase64String(token.Replace('-', '+').Replace('_', '/') + "=")));
        // The sender commits the token and the sent mark after the SMTP server took the mail, so the
        // mail can be in the sink a moment before they are in the database.
        await WaitUntilAsync(async () => await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.mail_outbox WHERE sent_at IS NOT NULL") == 1);

        Assert.Multiple(async () =>
        {
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.email_tokens WHERE encode(token_hash, 'hex') = $1", hash), Is.EqualTo(1));
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.mail_outbox WHERE sent_at IS NOT NULL AND payload IS NULL AND attempts = 1"), Is.EqualTo(1));
            Assert.That(await ScalarAsync<long>(
                "SELECT count(*) FROM paseto_auth.mail_outbox o WHERE row_to_json(o)::text LIKE '%' || $1 || '%'", token), Is.Zero);
        });
    }

    [Test]
    public async Task A_resent_link_works_and_the_earlier_one_is_dead()
    {
        var tokens = await Client.MemberAsync("alice");
        var first = TokenOf(await Mail.WaitForAsync("alice@example.test", "Confirm your email address"), "verify-email");

        var resend = await Client.SendAsync(HttpMethod.Post, "/v1/users/me/email/verification", tokens.AccessToken);
        Assert.That(resend.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var second = TokenOf(await Mail.WaitForAsync("alice@example.test", "Confirm your email address", skip: 1), "verify-email");

        await (await VerifyAsync(first)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That((await VerifyAsync(second)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
    }

    [Test]
    public async Task A_burst_of_resends_gets_the_hourly_budget_and_429s()
    {
        var tokens = await Client.MemberAsync("alice");
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            Client.SendAsync(HttpMethod.Post, "/v1/users/me/email/verification", tokens.AccessToken)));

        Assert.That(answers.Count(a => a.StatusCode == HttpStatusCode.Accepted), Is.EqualTo(5));
        var refused = answers.Where(a => a.StatusCode != HttpStatusCode.Accepted).ToList();
        Assert.That(refused, Has.Count.EqualTo(15));
        foreach (var answer in refused)
        {
            await answer.AssertProblemAsync(HttpStatusCode.TooManyRequests);
            Assert.That(answer.Headers.RetryAfter, Is.Not.Null);
        }
    }

    [Test]
    public async Task An_expired_token_is_refused()
    {
        await Client.SignupOkAsync("alice");
        var token = TokenOf(await Mail.WaitForAsync("alice@example.test", "Confirm your email address"), "verify-email");
        await ScalarAsync<int>("UPDATE paseto_auth.email_tokens SET expires_at = now() - interval '1 second' RETURNING 1");

        await (await VerifyAsync(token)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.users WHERE email_verified_at IS NOT NULL"), Is.Zero);
    }

    [TestCase("")]
    [TestCase("short")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [TestCase("\u00e9AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task A_token_that_cannot_be_one_is_a_400_naming_the_field(string token)
    {
        var problem = await (await VerifyAsync(token)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "token" }));
    }

    [Test]
    public async Task A_body_without_a_token_is_a_400()
    {
        var response = await Client.PostAsJsonAsync("/v1/email/verify", new { });
        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }
}
