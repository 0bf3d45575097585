using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Passkeys;

/// <summary>A host whose relying party is <c>localhost</c> at <see cref="Origin"/>, and the steps of a person with a passkey, through real HTTP.</summary>
public abstract class PasskeyTestBase : ApiTestBase
{
    /// <summary>The origin the tests' browser runs at, as a fresh <c>scripts/run.sh</c> is browsed.</summary>
    public const string Origin = "http://localhost:8000";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Auth:Passkeys:Origins:0"] = Origin,
    };

    /// <summary>Asks for creation options with the password (and a code, when given); asserts 200 and returns the answer.</summary>
    protected async Task<JsonElement> CreationOptionsAsync(string accessToken, object? body = null)
    {
        var response = await Client.SendAsync(HttpMethod.Post, "/v1/users/me/passkeys/options", accessToken, body ?? new { password = ApiClientExtensions.Password });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    protected Task<HttpResponseMessage> AddAsync(string accessToken, JsonElement ceremony, JsonObject credential, string? name = null) =>
        Client.SendAsync(HttpMethod.Post, "/v1/users/me/passkeys", accessToken, new
        {
            challenge_id = ceremony.GetProperty("challenge_id").GetString(),
            name,
            credential,
        });

    /// <summary>Registers a new passkey of <paramref name="authenticator"/> on the account; returns the 201's body.</summary>
    private protected async Task<JsonElement> RegisterAsync(string accessToken, SoftwareAuthenticator authenticator, string? name = null, Ceremony? ceremony = null, object? optionsBody = null)
    {
        var options = await CreationOptionsAsync(accessToken, optionsBody);
        var response = await AddAsync(accessToken, options, authenticator.Create(options.GetProperty("options"), ceremony), name);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Asks for sign-in options (<c>{username}</c>, <c>{mfa_token}</c> or <c>{}</c>); asserts 200 and returns the answer.</summary>
    protected async Task<JsonElement> LoginOptionsAsync(object? body = null)
    {
        var response = await Client.PostAsJsonAsync("/v1/passkeys/login/options", body ?? new { });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    protected Task<HttpResponseMessage> LoginAsync(JsonElement ceremony, JsonNode credential, string? ip = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/passkeys/login")
        {
            Content = JsonContent.Create(new { challenge_id = ceremony.GetProperty("challenge_id").GetString(), credential }),
        };
        if (ip is not null)
        {
            request.Headers.Add(TestClientAddress.Header, ip);
        }

        return Client.SendAsync(request);
    }

    /// <summary>A sign-in without a username (discoverable credential), asserting 200; returns the tokens.</summary>
    private protected async Task<Tokens> LoginOkAsync(SoftwareAuthenticator authenticator, SoftwareAuthenticator.Credential? credential = null)
    {
        var options = await LoginOptionsAsync();
        var response = await LoginAsync(options, authenticator.Get(options.GetProperty("options"), credential));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await ApiClientExtensions.ReadTokensAsync(response);
    }

    /// <summary>A member with one passkey: returns the password session's tokens and the authenticator.</summary>
    private protected async Task<(Tokens Tokens, SoftwareAuthenticator Authenticator, JsonElement Added)> MemberWithPasskeyAsync(string username)
    {
        var tokens = await Client.MemberAsync(username);
        var authenticator = new SoftwareAuthenticator();
        var added = await RegisterAsync(tokens.AccessToken, authenticator);
        return (tokens, authenticator, added);
    }
}
