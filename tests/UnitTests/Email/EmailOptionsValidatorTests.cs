using Paseto.Auth.Application;
using Paseto.Auth.Application.Email;
using Paseto.Auth.Infrastructure.Email;

namespace Paseto.Auth.UnitTests.Email;

public sealed class EmailOptionsValidatorTests
{
    private static IEnumerable<string> FailuresOf(Action<EmailOptions> change)
    {
        var options = new EmailOptions();
        change(options);
        return new EmailOptionsValidator().Validate(null, options).Failures ?? [];
    }

    private static void WithHost(EmailOptions o)
    {
        o.Smtp.Host = "smtp.example.com";
        o.From = "Paseto.Auth <no-reply@example.com>";
        o.PublicBaseUrl = "https://auth.example.com";
    }

    [Test]
    public void No_host_and_a_complete_host_are_valid()
    {
        Assert.That(FailuresOf(_ => { }), Is.Empty);
        Assert.That(FailuresOf(WithHost), Is.Empty);
    }

    [Test]
    public void A_host_needs_a_sender_address_and_an_absolute_link_base()
    {
        Assert.That(FailuresOf(o => { WithHost(o); o.From = null; }), Has.One.Contains("Email:From"));
        Assert.That(FailuresOf(o => { WithHost(o); o.From = "no address"; }), Has.One.Contains("Email:From"));
        Assert.That(FailuresOf(o => { WithHost(o); o.PublicBaseUrl = "/account"; }), Has.One.Contains("Email:PublicBaseUrl"));
        Assert.That(FailuresOf(o => { WithHost(o); o.PublicBaseUrl = "ftp://auth.example.com"; }), Has.One.Contains("Email:PublicBaseUrl"));
        Assert.That(FailuresOf(o => { WithHost(o); o.PublicBaseUrl = "https://auth.example.com/#x"; }), Has.One.Contains("Email:PublicBaseUrl"));
    }

    [Test]
    public void Security_port_and_outbox_timings_are_checked()
    {
        Assert.That(FailuresOf(o => o.Smtp.Security = "opportunistic"), Has.One.Contains("Email:Smtp:Security"));
        Assert.That(FailuresOf(o => o.Smtp.Port = 0), Has.One.Contains("Email:Smtp:Port"));
        Assert.That(FailuresOf(o => o.Outbox.MaxBackoff = TimeSpan.Zero), Has.One.Contains("MaxBackoff"));
    }

    [Test]
    public void Starttls_is_the_default_and_picks_the_submission_port()
    {
        var smtp = new SmtpOptions();
        Assert.That(smtp.Security, Is.EqualTo(SmtpSecurity.StartTls));
        Assert.That(smtp.EffectivePort, Is.EqualTo(587));
    }

    [Test]
    public void Email_flow_limits_and_lifetimes_must_be_positive()
    {
        var options = new AuthOptions();
        Assert.That(new EmailFlowOptionsValidator().Validate(null, options).Failures ?? [], Is.Empty);
        options.Email.ForgotPerEmailPerHour = 0;
        options.Email.ResetLifetime = TimeSpan.Zero;
        var failures = new EmailFlowOptionsValidator().Validate(null, options).Failures ?? [];
        Assert.That(failures, Has.One.Contains("ForgotPerEmailPerHour").And.Exactly(1).Contains("ResetLifetime"));
    }
}
