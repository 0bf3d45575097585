using Paseto.Auth.Domain.Email;
using Paseto.Auth.Infrastructure.Email;

namespace Paseto.Auth.UnitTests.SecondFactor;

/// <summary>The second factor's notices render, name the account, and encode what came from people.</summary>
public sealed class SecondFactorMailTests
{
    private static readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal)
    {
        ["username"] = "alice",
        ["firstname"] = "<Alice>",
        ["at"] = "2026-12-01 16:00 UTC",
        ["ip"] = "203.0.113.7",
        ["user_agent"] = "curl/8",
        ["left"] = "9",
    };

    [TestCase(MailKinds.MfaEnabled, "now asks for a code")]
    [TestCase(MailKinds.MfaDisabled, "no longer asks for a code")]
    [TestCase(MailKinds.RecoveryCodesRegenerated, "recovery codes")]
    [TestCase(MailKinds.RecoveryCodeUsed, "9 unused codes are left")]
    [TestCase(MailKinds.MfaFailureLimit, "too many wrong codes")]
    public void Each_notice_says_what_happened_to_which_account(string kind, string says)
    {
        var mail = MailTemplates.Render(kind, _values, link: null);
        Assert.Multiple(() =>
        {
            Assert.That(mail.Subject, Is.Not.Empty);
            Assert.That(mail.Text, Does.Contain("alice").And.Contain(says).And.Contain("203.0.113.7"));
            Assert.That(mail.Html, Does.Contain("&lt;Alice&gt;").And.Not.Contain("<Alice>"));
        });
    }
}
