using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MimeKit;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Email;

/// <summary>DESIGN §8: what happens to an account is mailed to its address, and recorded as a security event.</summary>
public sealed class NoticeTests : EmailTestBase
{
    private async Task<string[]> EventTypesAsync(Tokens tokens)
    {
        var page = await (await Client.GetAsync("/v1/users/me/events?limit=100", tokens.AccessToken)).Content.ReadFromJsonAsync<JsonElement>();
        return [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("type").GetString()!)];
    }

    private static void AssertTellsWhatHappened(MimeMessage notice, string userAgent)
    {
        Assert.Multiple(() =>
        {
            Assert.That(notice.TextBody, Does.Contain("127.0.0.1"));
            Assert.That(notice.TextBody, Does.Contain(userAgent));
            Assert.That(notice.TextBody, Does.Match(@"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC"));
            Assert.That(notice.TextBody, Does.Contain("If this was not you"));
            Assert.That(notice.HtmlBody, Does.Contain("<p>"));
            Assert.That(notice.MessageId, Does.EndWith("@paseto.test"));
        });
    }

    [Test]
    public async Task A_password_change_is_noticed()
    {
        var tokens = await Client.MemberAsync("alice");
        var response = await Client.SendAsync(HttpMethod.Put, "/v1/users/me/password", tokens.AccessToken,
            new { current_password = ApiClientExtensions.Password, new_password = "a different long passphrase" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        AssertTellsWhatHappened(await Mail.WaitForAsync("alice@example.test", "Your password was changed"), "unknown");
        Assert.That(await EventTypesAsync(tokens), Does.Contain("password_changed"));
    }

    [Test]
    public async Task A_sign_in_from_a_new_device_is_noticed_and_a_known_device_is_not()
    {
        var first = await Client.MemberAsync("alice");
        await Client.LoginOkAsync("alice", deviceToken: first.DeviceToken);
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/login")
        {
            Content = JsonContent.Create(new { username = "alice", password = ApiClientExtensions.Password }),
        };
        request.Headers.TryAddWithoutValidation("User-Agent", "Evil/1.0 <script>alert(1)</script>");
        Assert.That((await Client.SendAsync(request)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var notice = await Mail.WaitForAsync("alice@example.test", "New sign-in");
        AssertTellsWhatHappened(notice, "Evil/1.0 <script>alert(1)</script>");
        Assert.That(notice.HtmlBody, Does.Not.Contain("<script>"));
        Assert.That(notice.HtmlBody, Does.Contain("&lt;script&gt;"));
        var received = await SettleAsync();
        Assert.That(received.Count(m => m.Subject == "New sign-in to your account"), Is.EqualTo(1), "the first login and the known device are no news");
        Assert.That((await EventTypesAsync(first)).Count(t => t == "new_device_sign_in"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_reused_refresh_token_is_noticed()
    {
        var tokens = await Client.MemberAsync("alice");
        Assert.That((await Client.PostAsJsonAsync("/v1/token/refresh", new { refresh_token = tokens.RefreshToken })).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await (await Client.PostAsJsonAsync("/v1/token/refresh", new { refresh_token = tokens.RefreshToken })).AssertProblemAsync(HttpStatusCode.Unauthorized);

        AssertTellsWhatHappened(await Mail.WaitForAsync("alice@example.test", "A session of your account was ended"), "unknown");
        var again = await Client.LoginOkAsync("alice", deviceToken: tokens.DeviceToken);
        Assert.That(await EventTypesAsync(again), Does.Contain("refresh_reuse_detected"));
    }

    [Test]
    public async Task An_email_change_request_is_noticed_to_the_old_address()
    {
        var tokens = await Client.MemberAsync("alice");
        await Client.SendAsync(HttpMethod.Patch, "/v1/users/me", tokens.AccessToken,
            new { email = "alice@new.example", current_password = ApiClientExtensions.Password });

        AssertTellsWhatHappened(await Mail.WaitForAsync("alice@example.test", "Your email address is about to change"), "unknown");
        Assert.That(await EventTypesAsync(tokens), Does.Contain("email_change_requested"));
    }
}
