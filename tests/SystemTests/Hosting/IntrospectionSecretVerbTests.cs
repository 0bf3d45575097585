using System.Net;
using System.Text.Json;
using Paseto.Auth.IntegrationTests.Support;
using Paseto.Auth.SystemTests.Support;

namespace Paseto.Auth.SystemTests.Hosting;

/// <summary>The <c>generate-introspection-secret</c> verb, run as a process, and its output configured.</summary>
public sealed class IntrospectionSecretVerbTests : ApiTestBase
{
    [Test]
    public async Task The_generated_secret_works_once_its_printed_sha256_is_configured()
    {
        var (exit, output, error) = await ApiProcess.RunToExitAsync(
            "generate-introspection-secret --id billing", Factory.ConnectionString, new Dictionary<string, string> { ["ConnectionStrings__Postgres"] = "" });
        Assert.That(exit, Is.Zero, error);
        Assert.That(output, Does.EndWith("\n").And.Not.Contain(' '), "the secret alone on standard output");
        var secret = output.TrimEnd('\n');
        Assert.That(System.Buffers.Text.Base64Url.DecodeFromChars(secret), Has.Length.EqualTo(32), "256 bits");
        var hash = System.Text.RegularExpressions.Regex.Match(error, "Introspection__Clients__N__Secret=([0-9a-f]{64})").Groups[1].Value;
        Assert.That(hash, Is.EqualTo(IntrospectionClients.HashOf(secret)), error);
        Assert.That(error, Does.Contain("Introspection__Clients__N__Id=billing").And.Not.Contain(secret), "standard error never repeats the secret");

        await using var configured = Factory.WithWebHostBuilder(b => b
            .UseSetting("Introspection:Clients:1:Id", "billing")
            .UseSetting("Introspection:Clients:1:Secret", hash));
        using var client = configured.CreateClient();
        var tokens = await client.MemberAsync("alice");

        using var response = await client.IntrospectAsync(tokens.AccessToken, IntrospectionClients.Basic("billing", secret));
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        Assert.That(JsonSerializer.Deserialize<JsonElement>(text).GetProperty("active").GetBoolean(), Is.True);
    }
}
