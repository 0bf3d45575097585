using System.Text.Json;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using Npgsql;
using Paseto.Auth.Application;
using Paseto.Auth.Application.Common;
using Paseto.Auth.Domain.Email;

namespace Paseto.Auth.Infrastructure.Email;

/// <summary>
/// Delivers the outbox over SMTP (MailKit). Every instance runs one. A mail is claimed with
/// <c>FOR UPDATE SKIP LOCKED</c> in a transaction that stays open while it is sent: another
/// instance skips the row, and a crash before the commit releases it for a retry. A mail with a
/// link has its token minted in that transaction (only the hash is stored, and the earlier
/// tokens of that purpose die), so a token exists only if its mail went out; after the server's
/// 250 the row is marked sent, its body cleared, and committed. Delivery is therefore at least
/// once, with the row's stable Message-ID: a duplicate only if the process dies between the 250
/// and the commit. A failure rolls the claim back and records the attempt, its error (a type
/// and the server's reply, never a credential) and the next try, backing off from one second
/// to <c>Email:Outbox:MaxBackoff</c>.
/// </summary>
internal sealed partial class OutboxSender(
    NpgsqlDataSource dataSource,
    IOptions<EmailOptions> emailOptions,
    IOptions<AuthOptions> authOptions,
    TimeProvider time,
    IHostEnvironment environment,
    ILogger<OutboxSender> logger) : BackgroundService
{
    private const string ClaimSql = """
        SELECT id, message_id, user_id, recipient, kind, payload, token_purpose
        FROM paseto_auth.mail_outbox
        WHERE sent_at IS NULL AND next_attempt_at <= $1
        ORDER BY next_attempt_at, id
        LIMIT 1
        FOR UPDATE SKIP LOCKED
        """;

    // One statement: a data-modifying CTE runs whether or not the main query reads it.
    private const string MintSql = """
        WITH killed AS (
            UPDATE paseto_auth.email_tokens SET used_at = $3 WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL)
        INSERT INTO paseto_auth.email_tokens (user_id, purpose, address, token_hash, created_at, expires_at) VALUES ($1, $2, $4, $5, $3, $6)
        """;

    private SmtpClient? _smtp;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = emailOptions.Value;
        // The series exists from the start at zero, so a rate over it sees the first failure.
        ServiceMetrics.MailSendFailures.Add(0);
        if (string.IsNullOrWhiteSpace(options.Smtp.Host))
        {
            // A warning where mail matters; elsewhere (Development, tests) it is the expected state.
            LogNoHost(logger, environment.IsProduction() ? LogLevel.Warning : LogLevel.Information);
            return;
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                bool more;
                try
                {
                    more = await SendNextAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
                {
                    LogDatabaseFailed(logger, ex.GetType().Name);
                    more = false;
                }

                if (!more)
                {
                    await DisconnectAsync();
                    await Task.Delay(options.Outbox.PollInterval, time, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: a claim in flight rolled back and goes out from the next sender.
        }
        finally
        {
            _smtp?.Dispose();
        }
    }

    /// <summary>Sends the next due mail; false when there was none or it failed (then the sender waits a poll interval).</summary>
    internal async Task<bool> SendNextAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        Claimed? claimed;
        await using (var claim = new NpgsqlCommand(ClaimSql, connection, transaction))
        {
            claim.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
            await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
            claimed = await reader.ReadAsync(cancellationToken)
                ? new Claimed(
                    reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetInt32(2), reader.GetString(3),
                    reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6))
                : null;
        }

        if (claimed is null)
        {
            return false;
        }

        if (claimed is { TokenPurpose: not null, UserId: null })
        {
            // A link for no account (a reset asked for an unknown address): nothing to send.
            await MarkSentAsync(connection, transaction, claimed.Id, "not sent: no account has this address", cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return true;
        }

        MimeMessage message;
        try
        {
            var link = claimed is { TokenPurpose: { } purpose, UserId: { } userId }
                ? await MintAsync(connection, transaction, userId, purpose, claimed.Recipient, now, cancellationToken)
                : null;
            message = Build(claimed, link);
            var smtp = await ConnectedAsync(cancellationToken);
            await smtp.SendAsync(message, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not NpgsqlException)
        {
            await transaction.RollbackAsync(cancellationToken);
            await RecordFailureAsync(claimed.Id, ex, cancellationToken);
            DropConnection();
            return false;
        }

        await MarkSentAsync(connection, transaction, claimed.Id, null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogSent(logger, claimed.Id, claimed.Kind);
        return true;
    }

    /// <summary>Done with the row: sent (or dropped, with why), its body gone.</summary>
    private async Task MarkSentAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long id, string? note, CancellationToken cancellationToken)
    {
        await using var sent = new NpgsqlCommand(
            "UPDATE paseto_auth.mail_outbox SET sent_at = $2, payload = NULL, attempts = attempts + 1, last_error = $3 WHERE id = $1",
            connection, transaction);
        sent.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        sent.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = time.GetUtcNow() });
        sent.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = note, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Varchar });
        await sent.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<MailLink> MintAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, int userId, string purpose, string address, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var flows = authOptions.Value.Email;
        var expiresAt = now + (purpose == EmailTokenPurposes.ResetPassword ? flows.ResetLifetime : flows.VerificationLifetime);
        var (token, hash) = OpaqueToken.Create();
        await using var mint = new NpgsqlCommand(MintSql, connection, transaction);
        mint.Parameters.Add(new NpgsqlParameter<int> { TypedValue = userId });
        mint.Parameters.Add(new NpgsqlParameter<string> { TypedValue = purpose });
        mint.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        mint.Parameters.Add(new NpgsqlParameter<string> { TypedValue = address });
        mint.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = hash });
        mint.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = expiresAt });
        await mint.ExecuteNonQueryAsync(cancellationToken);
        return MailLink.Create(emailOptions.Value.PublicBaseUrl!, purpose, token, expiresAt);
    }

    private MimeMessage Build(Claimed claimed, MailLink? link)
    {
        var values = claimed.Payload is null
            ? new Dictionary<string, string?>()
            : JsonSerializer.Deserialize(claimed.Payload, MailJsonContext.Default.DictionaryStringString) ?? [];
        var rendered = MailTemplates.Render(claimed.Kind, values, link);
        var message = new MimeMessage { Subject = rendered.Subject, MessageId = claimed.MessageId, Date = time.GetUtcNow() };
        message.From.Add(MailboxAddress.Parse(emailOptions.Value.From!));
        message.To.Add(MailboxAddress.Parse(claimed.Recipient));
        message.Headers.Add("Auto-Submitted", "auto-generated");
        message.Body = new BodyBuilder { TextBody = rendered.Text, HtmlBody = rendered.Html }.ToMessageBody();
        return message;
    }

    private async Task<SmtpClient> ConnectedAsync(CancellationToken cancellationToken)
    {
        if (_smtp is { IsConnected: true })
        {
            return _smtp;
        }

        var smtp = emailOptions.Value.Smtp;
        _smtp ??= new SmtpClient { Timeout = (int)smtp.Timeout.TotalMilliseconds };
        // StartTls, not StartTlsWhenAvailable: "starttls" means required. No certificate callback
        // is set, so the server's certificate is validated as any TLS client would.
        var socket = smtp.Security switch
        {
            SmtpSecurity.None => SecureSocketOptions.None,
            SmtpSecurity.Tls => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.StartTls,
        };
        await _smtp.ConnectAsync(smtp.Host!, smtp.EffectivePort, socket, cancellationToken);
        if (!string.IsNullOrEmpty(smtp.Username))
        {
            await _smtp.AuthenticateAsync(smtp.Username, smtp.Password ?? string.Empty, cancellationToken);
        }

        return _smtp;
    }

    private async Task DisconnectAsync()
    {
        if (_smtp is { IsConnected: true })
        {
            try
            {
                await _smtp.DisconnectAsync(quit: true, CancellationToken.None);
            }
            catch (Exception ex) when (ex is IOException or SmtpProtocolException or SmtpCommandException)
            {
                DropConnection();
            }
        }
    }

    /// <summary>After a failure the client's state is unknown: the next mail starts a new connection.</summary>
    private void DropConnection()
    {
        _smtp?.Dispose();
        _smtp = null;
    }

    private async Task RecordFailureAsync(long id, Exception failure, CancellationToken cancellationToken)
    {
        var error = $"{failure.GetType().Name}: {failure.Message}";
        if (error.Length > OutboxMessage.MaxErrorLength)
        {
            error = error[..OutboxMessage.MaxErrorLength];
        }

        await using var command = dataSource.CreateCommand("""
            UPDATE paseto_auth.mail_outbox
            SET attempts = attempts + 1, last_error = $2,
                next_attempt_at = $3 + least($4, power(2, least(attempts, 30)) * interval '1 second')
            WHERE id = $1 AND sent_at IS NULL
            """);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = error });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = time.GetUtcNow() });
        command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = emailOptions.Value.Outbox.MaxBackoff });
        await command.ExecuteNonQueryAsync(cancellationToken);
        ServiceMetrics.MailSendFailures.Add(1);
        LogFailed(logger, id, failure.GetType().Name);
    }

    private sealed record Claimed(long Id, string MessageId, int? UserId, string Recipient, string Kind, string? Payload, string? TokenPurpose);

    [LoggerMessage(Message = "No SMTP host is configured (Email:Smtp:Host): mails are queued in the outbox and go out once one is set")]
    private static partial void LogNoHost(ILogger logger, LogLevel level);

    [LoggerMessage(Level = LogLevel.Information, Message = "Mail {OutboxId} ({Kind}) sent")]
    private static partial void LogSent(ILogger logger, long outboxId, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail {OutboxId} not sent ({Reason}); it is retried with backoff")]
    private static partial void LogFailed(ILogger logger, long outboxId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The mail sender could not reach the database: {Reason}")]
    private static partial void LogDatabaseFailed(ILogger logger, string reason);
}
