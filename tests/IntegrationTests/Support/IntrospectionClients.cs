using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Paseto.Auth.IntegrationTests.Support;

/// <summary>A resource server's introspection credential, configured as an operator would: the service holds only its SHA-256.</summary>
public static class IntrospectionClients
{
    public const string Id = "orders";

    public static readonly string Secret = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string HashOf(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>The settings that let <see cref="Id"/> introspect.</summary>
    public static Dictionary<string, string?> Settings(Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Introspection:Clients:0:Id"] = Id,
            ["Introspection:Clients:0:Secret"] = HashOf(Secret),
        };
        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }

        return settings;
    }

    public static AuthenticationHeaderValue Basic(string id, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(id)}:{Uri.EscapeDataString(secret)}")));

    /// <summary>POSTs <c>token=…</c> to the introspection endpoint with the given credential (the configured one by default).</summary>
    public static Task<HttpResponseMessage> IntrospectAsync(this HttpClient client, string token, AuthenticationHeaderValue? credential = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/token/introspect")
        {
            Content = new FormUrlEncodedContent([new("token", token)]),
        };
        request.Headers.Authorization = credential ?? Basic(Id, Secret);
        return client.SendAsync(request);
    }
}
