using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Npgsql;
using Paseto.Auth.Application.Common;

namespace Paseto.Auth.Infrastructure.Email;

/// <summary>
/// The gauge <see cref="ServiceMetrics.OutboxDepthName"/>: how many mails wait in the outbox.
/// Counting happens only when something reads the gauge (a scrape, an export), at most once per
/// <see cref="Freshness"/>, and never on the reader's thread: a read starts a count in the
/// background and reports the last one (nothing until the first is in). The count reads the
/// partial index of unsent rows, so it costs little however many mails were sent.
/// </summary>
internal sealed partial class OutboxDepthGauge : IDisposable
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(10);

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private readonly ILogger<OutboxDepthGauge> _logger;
    private readonly Meter _meter;
    private long _depth = -1;
    private long _countedAtTicks;
    private int _counting;
    private int _failing;

    public OutboxDepthGauge(NpgsqlDataSource dataSource, TimeProvider time, IMeterFactory meters, ILogger<OutboxDepthGauge> logger)
    {
        _dataSource = dataSource;
        _time = time;
        _logger = logger;
        // From the host's factory, so the gauge (and its database) go away with the host.
        _meter = meters.Create(ServiceMetrics.MeterName);
        _meter.CreateObservableGauge(ServiceMetrics.OutboxDepthName, Observe, "{message}", "Mails in the outbox not sent yet.");
    }

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<long>> Observe()
    {
        var now = _time.GetUtcNow().UtcTicks;
        if (now - Interlocked.Read(ref _countedAtTicks) >= Freshness.Ticks && Interlocked.Exchange(ref _counting, 1) == 0)
        {
            _ = CountAsync(now);
        }

        var depth = Interlocked.Read(ref _depth);
        return depth < 0 ? [] : [new Measurement<long>(depth)];
    }

    private async Task CountAsync(long now)
    {
        try
        {
            await using var command = _dataSource.CreateCommand("SELECT count(*) FROM paseto_auth.mail_outbox WHERE sent_at IS NULL");
            Interlocked.Exchange(ref _depth, (long)(await command.ExecuteScalarAsync())!);
            Interlocked.Exchange(ref _countedAtTicks, now);
            Interlocked.Exchange(ref _failing, 0);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or ObjectDisposedException)
        {
            // The database is away (readiness says so): the gauge keeps its last count, and the next read tries again.
            // Once per outage: while the database is away every scrape would say it again.
            if (Interlocked.Exchange(ref _failing, 1) == 0)
            {
                LogCountFailed(_logger, ex.GetType().Name);
            }
        }
        finally
        {
            Interlocked.Exchange(ref _counting, 0);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The mail outbox could not be counted for its gauge: {Reason}; the gauge keeps its last count until the database answers")]
    private static partial void LogCountFailed(ILogger logger, string reason);
}
