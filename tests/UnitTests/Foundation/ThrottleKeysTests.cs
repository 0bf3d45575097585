using Paseto.Auth.Application.Common;

namespace Paseto.Auth.UnitTests.Foundation;

/// <summary>
/// The keys are rows of a running database's throttle_counters: each string is pinned, so a
/// change to one is deliberate and not a silent reset of every count under it.
/// </summary>
public sealed class ThrottleKeysTests
{
    private static readonly Guid _id = Guid.Parse("3f2b8c4e-9d1a-4e7b-8c55-0a6f1e2d3b4c");

    [Test]
    public void Every_key_keeps_the_string_the_counters_are_stored_under() => Assert.Multiple(() =>
    {
        Assert.That(ThrottleKeys.LoginName("alice"), Is.EqualTo("login:name:alice"));
        Assert.That(ThrottleKeys.LoginUser(42), Is.EqualTo("login:user:42"));
        Assert.That(ThrottleKeys.LoginAccountFromAddress("login:user:42", "203.0.113.7"), Is.EqualTo("login:user:42|ip:203.0.113.7"));
        Assert.That(ThrottleKeys.LoginAccountFromAddress("login:name:alice", null), Is.EqualTo("login:name:alice|ip:"));
        Assert.That(ThrottleKeys.LoginDevice(_id), Is.EqualTo("login:device:3f2b8c4e-9d1a-4e7b-8c55-0a6f1e2d3b4c"));
        Assert.That(ThrottleKeys.SignupAddress("2001:db8::1"), Is.EqualTo("signup:ip:2001:db8::1"));
        Assert.That(ThrottleKeys.SignupAddress(null), Is.EqualTo("signup:ip:"));
        Assert.That(ThrottleKeys.SignupAll, Is.EqualTo("signup:all"));
        Assert.That(ThrottleKeys.StepUpSession(_id), Is.EqualTo("stepup:session:3f2b8c4e-9d1a-4e7b-8c55-0a6f1e2d3b4c"));
        Assert.That(ThrottleKeys.StepUpUser(42), Is.EqualTo("stepup:user:42"));
        Assert.That(ThrottleKeys.MailTo("alice@example.com"), Is.EqualTo("mail:to:alice@example.com"));
        Assert.That(ThrottleKeys.VerificationMails(42), Is.EqualTo("mail:verify:user:42"));
        Assert.That(ThrottleKeys.ForgotAddress("203.0.113.7"), Is.EqualTo("forgot:ip:203.0.113.7"));
        Assert.That(ThrottleKeys.ForgotEmail("alice@example.com"), Is.EqualTo("forgot:email:alice@example.com"));
        Assert.That(ThrottleKeys.IntrospectionClient("orders"), Is.EqualTo("introspect:client:orders"));
        Assert.That(ThrottleKeys.SecondFactorUser(42), Is.EqualTo("mfa:user:42"));
        Assert.That(ThrottleKeys.PasskeyLoginAddress("203.0.113.7"), Is.EqualTo("passkey:ip:203.0.113.7"));
        Assert.That(ThrottleKeys.PasskeyLoginUser(42), Is.EqualTo("passkey:user:42"));
    });
}
