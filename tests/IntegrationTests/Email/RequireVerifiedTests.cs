using System.Net;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Email;

/// <summary>DESIGN §8: with <c>Auth:Email:RequireVerified</c>, an unverified account's right password gets a 403 and a fresh link.</summary>
public sealed class RequireVerifiedTests : EmailTestBase
{
    protected override IReadOnlyDictionary<string, string?> MoreSettings => new Dictionary<string, string?>
    {
        ["Auth:Email:RequireVerified"] = "true",
    };

    [Test]
    public async Task An_unverified_login_is_a_403_that_mails_a_new_link_and_verifying_lets_it_in()
    {
        await Client.SignupOkAsync("alice");
        await Mail.WaitForAsync("alice@example.test", "Confirm your email address");

        var problem = await (await Client.LoginAsync("alice")).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.That(problem.GetProperty("type").GetString(), Is.EqualTo("/problems/email-not-verified"));
        var fresh = TokenOf(await Mail.WaitForAsync("alice@example.test", "Confirm your email address", skip: 1), "verify-email");
        await (await Client.LoginAsync("alice", "a wrong password entirely")).AssertProblemAsync(HttpStatusCode.Unauthorized);

        Assert.That((await VerifyAsync(fresh)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await Client.LoginAsync("alice")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
