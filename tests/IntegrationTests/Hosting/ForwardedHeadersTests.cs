using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Hosting;

/// <summary>
/// <c>X-Forwarded-For</c> names the client only when the request comes from a proxy the operator
/// listed in <c>Network:KnownProxies</c>; without one, the header is ignored.
/// </summary>
public sealed class ForwardedHeadersTests : ApiTestBase
{
    private const string ClaimedAddress = "203.0.113.9";

    private static async Task<string> SessionAddressAsync(HttpClient client)
    {
        await client.SignupOkAsync("alice");
        using var login = new HttpRequestMessage(HttpMethod.Post, "/v1/login")
        {
            Content = JsonContent.Create(new { username = "alice", password = ApiClientExtensions.Password }),
        };
        login.Headers.Add("X-Forwarded-For", ClaimedAddress);
        var tokens = await ApiClientExtensions.ReadTokensAsync(await client.SendAsync(login));

        var sessions = await (await client.GetAsync("/v1/sessions", tokens.AccessToken)).Content.ReadFromJsonAsync<JsonElement>();
        return sessions.GetProperty("items")[0].GetProperty("ip").GetString()!;
    }

    [Test]
    public async Task Without_a_known_proxy_the_socket_address_is_the_client()
    {
        Assert.That(await SessionAddressAsync(Client), Is.EqualTo(IPAddress.Loopback.ToString()));
    }

    [Test]
    public async Task From_a_known_proxy_the_forwarded_address_is_the_client()
    {
        await using var factory = Factory.WithWebHostBuilder(b => b.UseSetting("Network:KnownProxies:0", IPAddress.Loopback.ToString()));

        Assert.That(await SessionAddressAsync(factory.CreateClient()), Is.EqualTo(ClaimedAddress));
    }
}
