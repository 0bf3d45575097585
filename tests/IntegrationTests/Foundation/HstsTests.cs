using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Foundation;

/// <summary>HSTS in Production over HTTPS, on every answer; never over plain HTTP.</summary>
public sealed class HstsTests : ApiTestBase
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["environment"] = "Production",
    };

    [TestCase("/health/live")]
    [TestCase("/v1/users/me")]
    public async Task Production_over_https_sends_hsts(string path)
    {
        using var client = Factory.CreateClient(new() { BaseAddress = new Uri("https://api.example.test") });

        var response = await client.GetAsync(path);

        Assert.That(response.Headers.GetValues("Strict-Transport-Security").Single(), Does.StartWith("max-age=31536000"));
    }

    [Test]
    public async Task Plain_http_gets_no_hsts()
    {
        var response = await Client.GetAsync("/health/live");

        Assert.That(response.Headers.Contains("Strict-Transport-Security"), Is.False);
    }
}
