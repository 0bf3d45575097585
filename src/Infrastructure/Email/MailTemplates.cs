using System.Globalization;
using System.Net;
using System.Text;
using Paseto.Auth.Domain.Email;

namespace Paseto.Auth.Infrastructure.Email;

/// <summary>A rendered mail: a subject, a plain-text part and a simple HTML part.</summary>
internal sealed record RenderedMail(string Subject, string Text, string Html);

/// <summary>
/// The texts of the mails. Short: what happened or what to do, when, from which address and
/// user agent, and what to do if it was not the owner. Every value that came from a person or a
/// client (names, user agents, addresses) is HTML-encoded in the HTML part. A link carries its
/// token in the fragment (it reaches no server log or referrer) and the token also stands alone on
/// its own line, for a client without the account pages.
/// </summary>
internal static class MailTemplates
{
    private const string NotYou = "If this was not you, reset your password at once (use \"forgot password\" with this address) and review your sessions.";

    /// <summary>The account page a token's link opens.</summary>
    public static string Action(string tokenPurpose) => tokenPurpose switch
    {
        EmailTokenPurposes.VerifyEmail => "verify-email",
        EmailTokenPurposes.ResetPassword => "reset-password",
        EmailTokenPurposes.ChangeEmail => "confirm-email-change",
        EmailTokenPurposes.CancelEmailChange => "cancel-email-change",
        _ => throw new ArgumentOutOfRangeException(nameof(tokenPurpose), tokenPurpose, "No page for this purpose."),
    };

    public static RenderedMail Render(string kind, IReadOnlyDictionary<string, string?> values, MailLink? link)
    {
        string V(string key) => values.TryGetValue(key, out var v) && !string.IsNullOrEmpty(v) ? v : "unknown";
        var happened = $"When: {V("at")}\nFrom address: {V("ip")}\nDevice (user agent): {V("user_agent")}";
        var (subject, lines) = kind switch
        {
            MailKinds.VerifyEmail => ("Confirm your email address",
                $"Confirm that this address belongs to the account {V("username")}.\n{{link}}\nIf you did not sign up, ignore this mail: nothing happens without the link."),
            MailKinds.ConfirmEmailChange => ("Confirm your new email address",
                $"The account {V("username")} asked to use this address from now on. Confirm it to make the switch.\n{{link}}\nIf you did not ask for this, ignore this mail: the account keeps its old address."),
            MailKinds.ResetPassword => ("Reset your password",
                $"Someone asked to reset the password of the account {V("username")}.\n{happened}\n{{link}}\nIf it was not you, ignore this mail: your password stays as it is."),
            MailKinds.EmailChangeRequested => ("Your email address is about to change",
                $"The account {V("username")} asked to change its email address to {V("new_email")}. It switches when a link sent there is used.\n{happened}\nIf this was not you, cancel the change with the link below, then reset your password.\n{{link}}"),
            MailKinds.PasswordChanged => ("Your password was changed",
                $"The password of the account {V("username")} was changed, and its other sessions were ended.\n{happened}\n{NotYou}"),
            MailKinds.PasswordReset => ("Your password was reset",
                $"The password of the account {V("username")} was reset with a link sent to this address, and every session was ended.\n{happened}\n{NotYou}"),
            MailKinds.NewDeviceSignIn => ("New sign-in to your account",
                $"The account {V("username")} was signed in to from a device that had not signed in before.\n{happened}\n{NotYou}"),
            MailKinds.RefreshReuseDetected => ("A session of your account was ended",
                $"A refresh token of the account {V("username")} was used twice, which means someone else may hold a copy; that session was ended.\n{happened}\n{NotYou}"),
            MailKinds.MfaEnabled => ("Two-step sign-in was turned on",
                $"The account {V("username")} now asks for a code from an authenticator app at sign-in. Keep its recovery codes somewhere safe.\n{happened}\n{NotYou}"),
            MailKinds.MfaDisabled => ("Two-step sign-in was turned off",
                $"The account {V("username")} no longer asks for a code from an authenticator app at sign-in, and its recovery codes stopped working.\n{happened}\n{NotYou}"),
            MailKinds.RecoveryCodesRegenerated => ("New recovery codes",
                $"The account {V("username")} has a new set of recovery codes; the old ones no longer work.\n{happened}\n{NotYou}"),
            MailKinds.RecoveryCodeUsed => ("A recovery code was used",
                $"A recovery code of the account {V("username")} was used in place of the authenticator app; {V("left")} unused codes are left.\n{happened}\n{NotYou}"),
            MailKinds.MfaFailureLimit => ("Many wrong sign-in codes",
                $"Someone who knows the password of the account {V("username")} sent too many wrong codes from the authenticator app, and was stopped.\n{happened}\nIf this was not you, your password is known to someone else: change it at once."),
            MailKinds.PasskeyAdded => ("A passkey was added",
                $"The account {V("username")} has a new passkey, {V("passkey_name")}: it can sign in with it from now on.\n{happened}\n{NotYou}"),
            MailKinds.PasskeyRemoved => ("A passkey was removed",
                $"The passkey {V("passkey_name")} of the account {V("username")} was removed and no longer signs in.\n{happened}\n{NotYou}"),
            MailKinds.PasskeyCounterRegressed => ("A passkey may have been copied",
                $"The passkey {V("passkey_name")} of the account {V("username")} signed with a counter it had used before, which a copied authenticator (or a replayed sign-in) does. The sign-in was refused.\n{happened}\nIf you did not just sign in, remove that passkey and review your sessions."),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "No template for this kind of mail."),
        };
        var greeting = $"Hello {V("firstname")},";
        var text = new StringBuilder().Append(greeting).Append("\n\n");
        var html = new StringBuilder("<!DOCTYPE html><html><body style=\"font-family:sans-serif\">")
            .Append("<p>").Append(WebUtility.HtmlEncode(greeting)).Append("</p>");
        foreach (var line in lines.Split('\n'))
        {
            if (line == "{link}")
            {
                if (link is null)
                {
                    continue;
                }

                text.Append("Open this link (it works once, until ").Append(link.ExpiresAt).Append("):\n").Append(link.Url).Append("\n\nOr use this token:\n")
                    .Append(link.Token).Append("\n\n");
                html.Append("<p><a href=\"").Append(WebUtility.HtmlEncode(link.Url)).Append("\">").Append(WebUtility.HtmlEncode(subject))
                    .Append("</a> (works once, until ").Append(WebUtility.HtmlEncode(link.ExpiresAt)).Append(")</p><p>Or use this token:<br><code>")
                    .Append(WebUtility.HtmlEncode(link.Token)).Append("</code></p>");
                continue;
            }

            text.Append(line).Append('\n');
            html.Append("<p>").Append(WebUtility.HtmlEncode(line)).Append("</p>");
        }

        text.Append("\n-- \nThis mail was sent because of activity on your account; it needs no reply.\n");
        html.Append("</body></html>");
        return new RenderedMail(subject, text.ToString(), html.ToString());
    }
}

/// <summary>The link of a mail that carries a token, built at send time.</summary>
internal sealed record MailLink(string Url, string Token, string ExpiresAt)
{
    public static MailLink Create(string publicBaseUrl, string tokenPurpose, string token, DateTimeOffset expiresAt) => new(
        $"{publicBaseUrl.TrimEnd('/')}/account/{MailTemplates.Action(tokenPurpose)}#token={token}",
        token,
        expiresAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
}
