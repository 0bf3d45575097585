using Paseto.Auth.Application;

namespace Paseto.Auth.UnitTests.Foundation;

public sealed class AuthOptionsValidatorTests
{
    private static IEnumerable<string> FailuresOf(Action<AuthOptions> change, bool production = false)
    {
        var options = new AuthOptions();
        change(options);
        return new AuthOptionsValidator(signupSecretRequired: production).Validate(null, options).Failures ?? [];
    }

    [Test]
    public void The_defaults_are_valid_outside_production() => Assert.That(FailuresOf(_ => { }), Is.Empty);

    [Test]
    public void Production_needs_a_signup_secret_and_takes_one()
    {
        Assert.That(FailuresOf(_ => { }, production: true), Is.EqualTo(new[] { "No signup secret is configured: set Auth:RefererSecret (REFERER_SECRET)." }));
        Assert.That(FailuresOf(o => o.RefererSecret = "a secret of the operator's", production: true), Is.Empty);
    }

    [Test]
    public void Lifetimes_and_intervals_must_be_positive()
    {
        Assert.That(FailuresOf(o => o.AccessTokenLifetime = TimeSpan.Zero), Has.One.Contains("Auth:AccessTokenLifetime"));
        Assert.That(FailuresOf(o => o.SessionLifetime = TimeSpan.FromSeconds(-1)), Has.One.Contains("Auth:SessionLifetime"));
        Assert.That(FailuresOf(o => o.Sessions.CleanupInterval = TimeSpan.Zero), Has.One.Contains("Auth:Sessions:CleanupInterval"));
        Assert.That(FailuresOf(o => o.Sessions.KeepEndedFor = TimeSpan.Zero), Is.Empty, "ended sessions may be deleted at once");
    }

    [Test]
    public void The_session_limit_its_policy_and_the_roles_are_checked_each_by_name()
    {
        Assert.That(FailuresOf(o => o.Sessions.MaxActive = 0), Is.EqualTo(new[] { "Auth:Sessions:MaxActive must be at least 1." }));
        Assert.That(FailuresOf(o => o.Sessions.OnLimit = "evict"), Is.EqualTo(new[] { "Auth:Sessions:OnLimit must be 'revoke-oldest' or 'reject'." }));
        Assert.That(FailuresOf(o => o.SelfAssignableRoles = ["member", "root"]), Has.One.Contains("Auth:SelfAssignableRoles"));
    }

    [Test]
    public void Every_fault_is_reported_at_once_in_the_order_of_the_settings()
    {
        var failures = FailuresOf(o =>
        {
            o.AccessTokenLifetime = TimeSpan.Zero;
            o.Sessions.MaxActive = 0;
        }, production: true).ToList();

        Assert.That(failures, Has.Count.EqualTo(3));
        Assert.That(failures[0], Does.StartWith("Auth:AccessTokenLifetime"));
        Assert.That(failures[2], Does.StartWith("No signup secret"));
    }
}
