using System.Net;
using System.Text;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Foundation;

/// <summary>Every configured limit answers with a problem, not a bare status or a 500.</summary>
public sealed class LimitTests : ApiTestBase
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Limits:MaxRequestBodyBytes"] = "4096",
        ["Limits:MaxRequestHeadersBytes"] = "8192",
        ["Limits:MaxJsonDepth"] = "8",
    };

    [Test]
    public async Task A_body_over_the_limit_is_answered_413()
    {
        var body = $$"""{"username":"alice","password":"{{new string('x', 5000)}}"}""";
        var response = await Client.PostAsync("/v1/login", new StringContent(body, Encoding.UTF8, "application/json"));

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Test]
    public async Task A_body_just_under_the_limit_is_read()
    {
        var body = $$"""{"username":"alice","password":"{{new string('x', 3000)}}"}""";
        var response = await Client.PostAsync("/v1/login", new StringContent(body, Encoding.UTF8, "application/json"));

        // Read and validated: the password is longer than any password may be.
        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task Headers_over_the_limit_are_answered_431()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/keys");
        request.Headers.Add("X-Padding", new string('a', 9000));

        var response = await Client.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.RequestHeaderFieldsTooLarge);
    }

    [Test]
    public async Task Json_nested_deeper_than_the_limit_is_answered_400()
    {
        var body = """{"username":""" + new string('[', 20) + new string(']', 20) + "}";
        var response = await Client.PostAsync("/v1/login", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").GetProperty("body")[0].GetString(),
            Is.EqualTo("The JSON nests deeper than the 8 levels allowed (line 1, position 20)."));
    }

    [Test]
    public async Task Json_nested_as_deep_as_the_limit_is_read()
    {
        var body = """{"username":""" + new string('[', 7) + new string(']', 7) + "}";
        var response = await Client.PostAsync("/v1/login", new StringContent(body, Encoding.UTF8, "application/json"));

        // Read, and refused for what it says: a username is no array.
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "username" }));
    }

    [Test]
    public async Task A_string_longer_than_its_field_allows_is_answered_400()
    {
        var response = await Client.SignupAsync(new string('a', 33));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Does.Contain("username"));
    }

    [Test]
    public async Task A_page_larger_than_allowed_is_answered_400()
    {
        var tokens = await Client.MemberAsync("alice");

        var response = await Client.GetAsync("/v1/users/me/events?limit=101", tokens.AccessToken);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Does.Contain("limit"));
    }
}
