using Paseto.Auth.Application;

namespace Paseto.Auth.UnitTests.Foundation;

public sealed class ThrottlingOptionsValidatorTests
{
    private static IEnumerable<string> FailuresOf(Action<ThrottlingOptions> change)
    {
        var options = new AuthOptions();
        change(options.Throttling);
        return new ThrottlingOptionsValidator().Validate(null, options).Failures ?? [];
    }

    [Test]
    public void The_defaults_are_valid() => Assert.That(FailuresOf(_ => { }), Is.Empty);

    [Test]
    public void A_budget_of_zero_is_refused_by_name()
    {
        Assert.That(FailuresOf(t => t.StepUpFailuresPerSession = 0), Is.EqualTo(new[] { "Auth:Throttling:StepUpFailuresPerSession must be at least 1." }));
        Assert.That(FailuresOf(t => t.StepUpFailuresPerHour = -1), Is.EqualTo(new[] { "Auth:Throttling:StepUpFailuresPerHour must be at least 1." }));
        Assert.That(FailuresOf(t => t.AccountFailuresPerHour = 0), Has.One.Contains("AccountFailuresPerHour"));
    }

    [Test]
    public void Delays_must_be_positive_and_the_longest_at_least_the_first()
    {
        Assert.That(FailuresOf(t => t.BaseDelay = TimeSpan.Zero), Has.One.Contains("BaseDelay"));
        Assert.That(FailuresOf(t => t.MaxDelay = TimeSpan.FromMilliseconds(500)), Has.One.Contains("MaxDelay"));
        Assert.That(FailuresOf(t => t.ResetAfter = TimeSpan.Zero), Has.One.Contains("ResetAfter"));
        Assert.That(FailuresOf(t => t.FreeFailures = -1), Has.One.Contains("FreeFailures"));
    }
}
