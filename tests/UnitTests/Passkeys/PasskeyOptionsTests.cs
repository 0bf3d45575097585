using Microsoft.Extensions.Configuration;
using Paseto.Auth.Application;
using Paseto.Auth.Application.Passkeys;
using Paseto.Auth.Infrastructure.Passkeys;

namespace Paseto.Auth.UnitTests.Passkeys;

/// <summary>The relying party's defaults and the start-up check of <c>Auth:Passkeys</c>.</summary>
public sealed class PasskeyOptionsTests
{
    private static PasskeyOptions Defaults(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        var options = new PasskeyOptions();
        PasskeyDefaults.Apply(options, configuration);
        return options;
    }

    [Test]
    public void Run_sh_base_url_on_a_loopback_address_becomes_localhost_at_the_same_port()
    {
        var options = Defaults(("Email:PublicBaseUrl", "http://127.0.0.1:8000"), ("urls", "http://127.0.0.1:8000"));
        Assert.That(options.EffectiveRelyingPartyId, Is.EqualTo("localhost"));
        Assert.That(options.Origins, Is.EqualTo(new[] { "http://localhost:8000" }));
    }

    [Test]
    public void A_public_base_url_gives_its_host_and_origin()
    {
        var options = Defaults(("Email:PublicBaseUrl", "https://auth.example.com/"), ("urls", "http://0.0.0.0:8080"));
        Assert.That(options.EffectiveRelyingPartyId, Is.EqualTo("auth.example.com"));
        Assert.That(options.Origins, Is.EqualTo(new[] { "https://auth.example.com" }));
    }

    [Test]
    public void Without_a_base_url_the_loopback_listen_addresses_are_the_origins()
    {
        var options = Defaults(("urls", "http://[::1]:5001;http://+:5002;https://localhost:5003;http://192.0.2.10:5004"));
        Assert.That(options.EffectiveRelyingPartyId, Is.EqualTo("localhost"));
        Assert.That(options.Origins, Is.EqualTo(new[] { "http://localhost:5001", "http://localhost:5002", "https://localhost:5003" }));
    }

    [Test]
    public void Configured_values_are_kept()
    {
        var configured = new PasskeyOptions { RelyingPartyId = "example.com", Origins = ["https://app.example.com"] };
        PasskeyDefaults.Apply(configured, new ConfigurationBuilder().AddInMemoryCollection([new("Email:PublicBaseUrl", "http://127.0.0.1:8000")]).Build());
        Assert.That(configured.EffectiveRelyingPartyId, Is.EqualTo("example.com"));
        Assert.That(configured.Origins, Is.EqualTo(new[] { "https://app.example.com" }));
    }

    [TestCase("127.0.0.1", "https://127.0.0.1", "RelyingPartyId must be a domain")]
    [TestCase("https://example.com", "https://example.com", "RelyingPartyId must be a domain")]
    [TestCase("example.com", "https://example.com/login", "without a path")]
    [TestCase("example.com", "ftp://example.com", "absolute http(s) origins")]
    [TestCase("example.com", "https://example.org", "nor a subdomain")]
    [TestCase("example.com", "https://notexample.com", "nor a subdomain")]
    public void Settings_no_browser_would_accept_refuse_to_start(string rpId, string origin, string message)
    {
        var options = new AuthOptions { Passkeys = { RelyingPartyId = rpId, Origins = [origin] } };
        var result = new PasskeyOptionsValidator().Validate(null, options);
        Assert.That(result.Failed, Is.True);
        Assert.That(result.FailureMessage, Does.Contain(message));
    }

    [TestCase("example.com", "https://example.com")]
    [TestCase("example.com", "https://login.example.com:8443")]
    [TestCase("localhost", "http://localhost:8000")]
    public void Settings_a_browser_accepts_start(string rpId, string origin)
    {
        var options = new AuthOptions { Passkeys = { RelyingPartyId = rpId, Origins = [origin] } };
        Assert.That(new PasskeyOptionsValidator().Validate(null, options).Succeeded, Is.True);
    }
}
