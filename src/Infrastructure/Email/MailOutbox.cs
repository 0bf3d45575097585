using System.Text.Json;
using Microsoft.Extensions.Options;
using MimeKit;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Domain.Email;
using Paseto.Auth.Infrastructure.Persistence;

namespace Paseto.Auth.Infrastructure.Email;

/// <summary>Adds outbox rows to the use case's unit of work (see <see cref="IMailOutbox"/>).</summary>
internal sealed class MailOutbox(AuthDbContext db, IOptions<EmailOptions> options, TimeProvider time) : IMailOutbox
{
    public void Enqueue(int? userId, string recipient, string kind, string? tokenPurpose, IReadOnlyDictionary<string, string?> values)
    {
        var domain = MailboxAddress.TryParse(options.Value.From, out var from) && from.Domain.Length > 0 ? from.Domain : "localhost";
        var payload = JsonSerializer.Serialize(values, MailJsonContext.Default.IReadOnlyDictionaryStringString);
        db.MailOutbox.Add(OutboxMessage.Create(userId, recipient, kind, payload, tokenPurpose, domain, time.GetUtcNow()));
    }
}
