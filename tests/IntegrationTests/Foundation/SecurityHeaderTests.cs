using System.Net;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Foundation;

/// <summary>The headers every API answer carries, errors included; the docs page gets what Swagger UI needs.</summary>
public sealed class SecurityHeaderTests : ApiTestBase
{
    [Test]
    public async Task Token_and_error_responses_carry_the_security_headers()
    {
        await Client.SignupOkAsync("alice");
        var login = await Client.LoginAsync("alice");
        var error = await Client.GetAsync("/v1/users/me");

        foreach (var response in new[] { login, error })
        {
            Assert.That(response.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
            Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
            Assert.That(response.Headers.GetValues("Referrer-Policy").Single(), Is.EqualTo("no-referrer"));
            Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Does.StartWith("default-src 'none'"));
        }
    }

    [Test]
    public async Task The_docs_page_may_load_its_own_scripts()
    {
        var response = await Client.GetAsync("/docs/index.html");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("script-src 'self'"));
    }
}
