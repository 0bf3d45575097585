using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Foundation;

/// <summary>The headers every API answer carries, errors included; the docs page gets what Swagger UI needs.</summary>
public sealed partial class SecurityHeaderTests : ApiTestBase
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

    [TestCase("/docs/index.html")]
    [TestCase("/docs/oauth2-redirect.html")]
    public async Task A_docs_page_runs_its_own_files_and_only_the_inline_scripts_its_policy_names_by_hash(string page)
    {
        var response = await Client.GetAsync(page);
        var html = await response.Content.ReadAsStringAsync();

        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        var scripts = policy.Split(';').Select(d => d.Trim()).Single(d => d.StartsWith("script-src ", StringComparison.Ordinal));
        // Hashed as the browser does: after HTML parsing has made every line end LF.
        var inline = InlineScript().Matches(html)
            .Select(m => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(m.Groups[1].Value.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n'))))}'")
            .ToList();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(inline, Is.Not.Empty, "the page boots Swagger UI from an inline script");
            Assert.That(scripts.Split(' ').Skip(1), Is.EquivalentTo(inline.Prepend("'self'")), "no 'unsafe-inline': a script injected into the page does not run");
        });
    }

    [GeneratedRegex("<script>(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex InlineScript();
}
