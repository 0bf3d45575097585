using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using MimeKit;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Email;

/// <summary>
/// A host whose outbox sender delivers to a <see cref="MailSink"/> over real SMTP. The sink runs
/// during each test (started empty before it, stopped after), so a test can also stop it.
/// </summary>
public abstract partial class EmailTestBase : ApiTestBase
{
    public const string BaseUrl = "https://account.paseto.test";

    protected MailSink Mail { get; } = new();

    /// <summary>Settings of the fixture on top of the sink's.</summary>
    protected virtual IReadOnlyDictionary<string, string?> MoreSettings => new Dictionary<string, string?>();

    protected sealed override IReadOnlyDictionary<string, string?> Settings => SinkSettings(Mail.Port).Concat(MoreSettings)
        .GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value);

    /// <summary>The sink, a plain local SMTP; the sender polls often and backs off at most a second, so tests take seconds.</summary>
    public static Dictionary<string, string?> SinkSettings(int port) => new()
    {
        ["Email:Smtp:Host"] = "127.0.0.1",
        ["Email:Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Email:Smtp:Security"] = "none",
        ["Email:From"] = "Paseto.Auth <no-reply@paseto.test>",
        ["Email:PublicBaseUrl"] = BaseUrl,
        ["Email:Outbox:PollInterval"] = "00:00:00.100",
        ["Email:Outbox:MaxBackoff"] = "00:00:01",
    };

    [SetUp]
    public async Task StartSink()
    {
        Mail.Clear();
        await Mail.StartAsync();
    }

    [TearDown]
    public async Task StopSink() => await Mail.StopAsync();

    [OneTimeTearDown]
    public async Task DisposeSink() => await Mail.DisposeAsync();

    /// <summary>The token of a mail's link, checked to stand in the fragment of the link to <paramref name="action"/> and alone on a line.</summary>
    public static string TokenOf(MimeMessage mail, string action)
    {
        var text = mail.TextBody ?? string.Empty;
        var match = LinkPattern().Match(text);
        Assert.That(match.Success, Is.True, text);
        Assert.Multiple(() =>
        {
            Assert.That(match.Groups["action"].Value, Is.EqualTo(action), text);
            Assert.That(text.Split('\n').Select(l => l.TrimEnd('\r')), Does.Contain(match.Groups["token"].Value), "the token alone on its own line");
            Assert.That(mail.HtmlBody, Does.Contain($"#token={match.Groups["token"].Value}"));
        });
        return match.Groups["token"].Value;
    }

    protected Task<HttpResponseMessage> VerifyAsync(string token) => Client.PostAsJsonAsync("/v1/email/verify", new { token });

    protected async Task<JsonElement> ProfileAsync(string accessToken)
    {
        var response = await Client.GetAsync("/v1/users/me", accessToken);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Polls <paramref name="condition"/> until it holds, for at most 30 s.</summary>
    protected static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "timed out");
            await Task.Delay(100);
        }
    }

    /// <summary>Waits until the sender has had time for more mail (several poll intervals), then returns what arrived.</summary>
    protected async Task<IReadOnlyList<MimeMessage>> SettleAsync()
    {
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        return Mail.Received;
    }

    [GeneratedRegex(@"https://account\.paseto\.test/account/(?<action>[a-z-]+)#token=(?<token>[A-Za-z0-9_-]{43})")]
    private static partial Regex LinkPattern();
}
