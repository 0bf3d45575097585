using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Foundation;

public sealed class HealthTests : ApiTestBase
{
    [Test]
    public async Task Live_answers_healthy_without_touching_the_database()
    {
        var response = await Client.GetAsync("/health/live");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("healthy"));
    }

    [Test]
    public async Task Ready_answers_healthy_when_the_database_answers()
    {
        var response = await Client.GetAsync("/health/ready");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("healthy"));
    }

    [Test]
    public async Task Ready_answers_503_when_the_database_is_unreachable()
    {
        var unreachable = "Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none;Timeout=2";
        await using var factory = new ApiFactory(unreachable);
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/health/ready");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(text, Does.Contain("unhealthy"));
        Assert.That(text, Does.Not.Contain("127.0.0.1"));
    }

    [Test]
    public async Task Migrations_created_the_users_table_in_the_configured_schema()
    {
        var exists = await ScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = 'paseto_auth' AND table_name = 'users')");

        Assert.That(exists, Is.True);
    }
}
