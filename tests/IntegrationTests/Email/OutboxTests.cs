using System.Net;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Email;

/// <summary>The transactional outbox across SMTP outages and several instances (DESIGN §8).</summary>
public sealed class OutboxTests : EmailTestBase
{
    // The burst signs up from one address per account, but the service-wide budget must hold them all.
    protected override IReadOnlyDictionary<string, string?> MoreSettings => new Dictionary<string, string?>
    {
        ["Auth:Throttling:SignupsPerHour"] = "100000",
    };

    [Test]
    public async Task A_notice_queued_while_smtp_is_down_arrives_once_it_is_back_and_only_once()
    {
        var tokens = await Client.MemberAsync("alice");
        await Mail.WaitForAsync("alice@example.test", "Confirm your email address");
        await Mail.StopAsync();

        var response = await Client.SendAsync(HttpMethod.Put, "/v1/users/me/password", tokens.AccessToken,
            new { current_password = ApiClientExtensions.Password, new_password = "a different long passphrase" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await WaitUntilAsync(async () => await ScalarAsync<int>(
            "SELECT attempts FROM paseto_auth.mail_outbox WHERE kind = 'password_changed'") >= 2);
        Assert.Multiple(async () =>
        {
            Assert.That(await ScalarAsync<string>("SELECT last_error FROM paseto_auth.mail_outbox WHERE kind = 'password_changed'"), Is.Not.Null.And.Not.Empty);
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.mail_outbox WHERE kind = 'password_changed' AND sent_at IS NULL AND payload IS NOT NULL"), Is.EqualTo(1));
        });

        await Mail.StartAsync();
        var notice = await Mail.WaitForAsync("alice@example.test", "Your password was changed");
        var received = await SettleAsync();
        Assert.That(received.Count(m => m.MessageId == notice.MessageId), Is.EqualTo(1));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.mail_outbox WHERE sent_at IS NULL"), Is.Zero);
    }

    [Test]
    public async Task Two_instances_on_one_outbox_send_every_mail_of_a_burst_exactly_once()
    {
        const int Accounts = 30;
        await Mail.StopAsync();
        for (var i = 0; i < Accounts; i++)
        {
            Assert.That((await Client.SignupFromAsync($"10.9.0.{i + 1}", $"burst{i}")).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        }

        await using var second = new ApiFactory(Factory.ConnectionString, Settings);
        using (second.CreateClient())
        {
            // Both senders are up and retrying: the burst goes out when the server comes back.
            await Mail.StartAsync();
            await WaitUntilAsync(async () => await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.mail_outbox WHERE sent_at IS NULL") == 0);
            var received = await SettleAsync();

            Assert.That(received, Has.Count.EqualTo(Accounts));
            Assert.That(received.Select(m => m.MessageId).Distinct().Count(), Is.EqualTo(Accounts));
            Assert.That(received.Select(m => m.To.Mailboxes.Single().Address).Distinct().Count(), Is.EqualTo(Accounts));
        }
    }
}
