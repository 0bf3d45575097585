using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Email;

/// <summary>Without an SMTP host the service starts, says so once, and keeps the mails queued.</summary>
public sealed class NoSmtpHostTests : ApiTestBase
{
    [Test]
    public async Task A_host_without_smtp_starts_warns_once_and_keeps_mails_queued()
    {
        var logs = new CapturingLoggerProvider();
        await using var factory = Factory.WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Production");
            b.ConfigureLogging(l => l.AddProvider(logs));
        });
        using var client = factory.CreateClient();

        await client.SignupOkAsync("alice");
        await client.SignupOkAsync("bob");
        await Task.Delay(500);

        Assert.That(logs.Lines.Count(l => l.Level == LogLevel.Warning && l.Message.Contains("No SMTP host is configured", StringComparison.Ordinal)), Is.EqualTo(1));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.mail_outbox WHERE sent_at IS NULL AND attempts = 0 AND payload IS NOT NULL"), Is.EqualTo(2));
    }
}
