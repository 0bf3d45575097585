using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Email;

/// <summary>DESIGN §8: a new email waits for the link sent to it; the old address hears of it and can cancel.</summary>
public sealed class EmailChangeTests : EmailTestBase
{
    private async Task<JsonElement> ChangeEmailAsync(Tokens tokens, string email, string? username = null)
    {
        var response = await Client.SendAsync(HttpMethod.Patch, "/v1/users/me", tokens.AccessToken,
            new { email, username, current_password = ApiClientExtensions.Password });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Test]
    public async Task The_new_address_confirms_the_switch_and_the_old_one_is_told()
    {
        var tokens = await Client.MemberAsync("alice");
        var profile = await ChangeEmailAsync(tokens, "alice@new.example");
        Assert.That(profile.GetProperty("email").GetString(), Is.EqualTo("alice@example.test"));
        Assert.That(profile.GetProperty("pending_email").GetString(), Is.EqualTo("alice@new.example"));

        var confirm = TokenOf(await Mail.WaitForAsync("alice@new.example", "Confirm your new email address"), "confirm-email-change");
        var notice = await Mail.WaitForAsync("alice@example.test", "Your email address is about to change");
        TokenOf(notice, "cancel-email-change");
        Assert.That(notice.TextBody, Does.Contain("a***@new.example").And.Contain("127.0.0.1"));

        Assert.That((await VerifyAsync(confirm)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        var after = await ProfileAsync(tokens.AccessToken);
        Assert.Multiple(() =>
        {
            Assert.That(after.GetProperty("email").GetString(), Is.EqualTo("alice@new.example"));
            Assert.That(after.GetProperty("email_verified").GetBoolean(), Is.True);
            Assert.That(after.TryGetProperty("pending_email", out _), Is.False);
        });
        Assert.That((await Client.LoginAsync("alice@new.example")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await Client.LoginAsync("alice@example.test")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task The_old_address_cancels_the_change_and_the_confirmation_dies()
    {
        var tokens = await Client.MemberAsync("alice");
        await ChangeEmailAsync(tokens, "mallory@evil.example");
        var confirm = TokenOf(await Mail.WaitForAsync("mallory@evil.example", "Confirm your new email address"), "confirm-email-change");
        var cancel = TokenOf(await Mail.WaitForAsync("alice@example.test", "Your email address is about to change"), "cancel-email-change");

        var cancelled = await Client.PostAsJsonAsync("/v1/email/change/cancel", new { token = cancel });
        Assert.That(cancelled.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        await (await VerifyAsync(confirm)).AssertProblemAsync(HttpStatusCode.BadRequest);
        var profile = await ProfileAsync(tokens.AccessToken);
        Assert.That(profile.GetProperty("email").GetString(), Is.EqualTo("alice@example.test"));
        Assert.That(profile.TryGetProperty("pending_email", out _), Is.False);
        await (await Client.PostAsJsonAsync("/v1/email/change/cancel", new { token = cancel })).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task An_address_taken_while_the_change_waited_is_a_409_at_the_switch()
    {
        var tokens = await Client.MemberAsync("alice");
        await ChangeEmailAsync(tokens, "shared@example.test");
        var confirm = TokenOf(await Mail.WaitForAsync("shared@example.test", "Confirm your new email address"), "confirm-email-change");
        await Client.SignupOkAsync("bob", "Shared@Example.test");

        await (await VerifyAsync(confirm)).AssertProblemAsync(HttpStatusCode.Conflict);
        var profile = await ProfileAsync(tokens.AccessToken);
        Assert.That(profile.GetProperty("email").GetString(), Is.EqualTo("alice@example.test"));
    }

    [Test]
    public async Task A_change_that_rolls_back_leaves_no_mail_behind()
    {
        await Client.SignupOkAsync("bob");
        var tokens = await Client.MemberAsync("alice");
        await Mail.WaitForAsync("alice@example.test", "Confirm your email address");
        var queuedBefore = await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.mail_outbox");

        // The email change queues its two mails, then the taken username fails the commit.
        var response = await Client.SendAsync(HttpMethod.Patch, "/v1/users/me", tokens.AccessToken,
            new { email = "alice@new.example", username = "bob", current_password = ApiClientExtensions.Password });

        await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.mail_outbox"), Is.EqualTo(queuedBefore));
        var received = await SettleAsync();
        Assert.That(received.Count(m => m.Subject!.Contains("email address", StringComparison.Ordinal) && !m.Subject.StartsWith("Confirm your email", StringComparison.Ordinal)), Is.Zero);
        Assert.That((await ProfileAsync(tokens.AccessToken)).TryGetProperty("pending_email", out _), Is.False);
    }

    [Test]
    public async Task A_change_to_a_taken_address_is_a_409_at_once()
    {
        await Client.SignupOkAsync("bob");
        var tokens = await Client.MemberAsync("alice");

        var response = await Client.SendAsync(HttpMethod.Patch, "/v1/users/me", tokens.AccessToken,
            new { email = "BOB@example.test", current_password = ApiClientExtensions.Password });

        await response.AssertProblemAsync(HttpStatusCode.Conflict);
    }
}
