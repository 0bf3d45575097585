using Microsoft.Extensions.Options;
using MimeKit;

namespace Paseto.Auth.Infrastructure.Email;

/// <summary>The <c>Email</c> settings (DESIGN §8): the SMTP server, the sender and the outbox.</summary>
public sealed class EmailOptions
{
    public const string Section = "Email";

    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>The From of every mail, e.g. <c>Paseto.Auth &lt;no-reply@example.com&gt;</c>; required when a host is set.</summary>
    public string? From { get; set; }

    /// <summary>Where the account pages live: links are <c>{PublicBaseUrl}/account/&lt;action&gt;#token=…</c>; required when a host is set.</summary>
    public string? PublicBaseUrl { get; set; }

    public OutboxOptions Outbox { get; set; } = new();
}

public sealed class SmtpOptions
{
    /// <summary>No host: mails stay queued (and the service says so once at start, as a warning in Production).</summary>
    public string? Host { get; set; }

    /// <summary>Defaults to 25 for <c>none</c>, 587 for <c>starttls</c>, 465 for <c>tls</c>.</summary>
    public int? Port { get; set; }

    /// <summary><c>starttls</c> (default: TLS is required, with the certificate validated), <c>tls</c> (TLS from the first byte) or <c>none</c> (a local sink only).</summary>
    public string Security { get; set; } = SmtpSecurity.StartTls;

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>How long one SMTP command may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public int EffectivePort => Port ?? Security switch
    {
        SmtpSecurity.None => 25,
        SmtpSecurity.Tls => 465,
        _ => 587,
    };
}

public static class SmtpSecurity
{
    public const string None = "none";
    public const string StartTls = "starttls";
    public const string Tls = "tls";
}

public sealed class OutboxOptions
{
    /// <summary>How often an idle sender looks for due mails.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait between two attempts at one mail; the wait doubles from one second up to it.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a sent row (its body already gone) is kept before the retention cleanup deletes it, with spent or expired tokens.</summary>
    public TimeSpan KeepSentFor { get; set; } = TimeSpan.FromDays(7);
}

/// <summary>Refuses to start with an SMTP host but no usable sender or link base, or with a security mode or timing that cannot work.</summary>
public sealed class EmailOptionsValidator : IValidateOptions<EmailOptions>
{
    public ValidateOptionsResult Validate(string? name, EmailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var smtp = options.Smtp;
        if (smtp.Security is not (SmtpSecurity.None or SmtpSecurity.StartTls or SmtpSecurity.Tls))
        {
            failures.Add("Email:Smtp:Security must be 'none', 'starttls' or 'tls'.");
        }

        if (smtp.Port is < 1 or > 65535 || smtp.Timeout <= TimeSpan.Zero)
        {
            failures.Add("Email:Smtp:Port must be 1–65535 and Email:Smtp:Timeout positive.");
        }

        if (!string.IsNullOrWhiteSpace(smtp.Host))
        {
            if (!MailboxAddress.TryParse(options.From, out var from) || !from.Address.Contains('@', StringComparison.Ordinal))
            {
                failures.Add("Email:From must be a mail address (e.g. 'Paseto.Auth <no-reply@example.com>') when Email:Smtp:Host is set.");
            }

            if (!Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("https" or "http")
                || baseUrl.Query.Length > 0 || baseUrl.Fragment.Length > 0)
            {
                failures.Add("Email:PublicBaseUrl must be an absolute http(s) URL without query or fragment when Email:Smtp:Host is set.");
            }
        }

        var outbox = options.Outbox;
        if (outbox.PollInterval <= TimeSpan.Zero || outbox.MaxBackoff <= TimeSpan.Zero || outbox.KeepSentFor <= TimeSpan.Zero)
        {
            failures.Add("Email:Outbox:PollInterval, Email:Outbox:MaxBackoff and Email:Outbox:KeepSentFor must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
