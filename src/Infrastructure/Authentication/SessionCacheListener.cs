using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Paseto.Auth.Infrastructure.Persistence;

namespace Paseto.Auth.Infrastructure.Authentication;

/// <summary>
/// Keeps <see cref="SessionCache"/> current: one long-lived connection LISTENs on
/// <see cref="SessionCache.Channel"/> and applies what the triggers send, and every
/// <see cref="SessionCacheOptions.HeartbeatInterval"/> a second connection NOTIFYs a heartbeat
/// naming this instance, whose return proves the first one caught up.
/// </summary>
/// <remarks>
/// Both connections come from <c>ConnectionStrings:PostgresListen</c> (the main connection
/// string when unset), which must reach PostgreSQL directly: a pooler in transaction mode cannot
/// keep a LISTEN. After every (re)connect the listener LISTENs first and flushes second, so no
/// change committed while it was away survives; until a heartbeat sent after that LISTEN comes
/// back the cache is not trusted. A listener that hears nothing of itself for many beats (a
/// connection dead without a reset) reconnects.
/// </remarks>
internal sealed partial class SessionCacheListener : BackgroundService
{
    /// <summary>The <c>application_name</c> of both connections, as <c>pg_stat_activity</c> shows them.</summary>
    public const string ApplicationName = "paseto-auth-session-cache";

    private static readonly TimeSpan _firstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan _lastRetry = TimeSpan.FromSeconds(5);

    private readonly SessionCache _cache;
    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private readonly ILogger<SessionCacheListener> _logger;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _reconnectAfter;
    private readonly string _heartbeatPrefix = "h:" + Guid.NewGuid().ToString("N") + ":";
    private readonly long[] _sentAt = new long[256];
    private long _sent;
    private long _listenedAt;
    private long _heardAt;
    private volatile bool _heardSinceListen;
    private int _neverHeardLogged;

    public SessionCacheListener(SessionCache cache, IOptions<SessionCacheOptions> options, string connectionString, TimeProvider time, ILogger<SessionCacheListener> logger)
    {
        _cache = cache;
        _time = time;
        _logger = logger;
        _interval = options.Value.HeartbeatInterval;
        _reconnectAfter = TimeSpan.FromTicks(Math.Max(50 * _interval.Ticks, TimeSpan.FromSeconds(2).Ticks));
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = ApplicationName;
        }

        _dataSource = DatabaseSettings.CreateDataSource(builder.ConnectionString);
    }

    /// <summary>How many times the listening connection has been (re)established.</summary>
    public long Connections => Volatile.Read(ref _connections);

    private long _connections;

    public override void Dispose()
    {
        base.Dispose();
        _dataSource.Dispose();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        _cache.Enabled ? Task.WhenAll(ListenAsync(stoppingToken), BeatAsync(stoppingToken)) : Task.CompletedTask;

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        var retry = _firstRetry;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += OnNotification;
                await using (var listen = new NpgsqlCommand("LISTEN " + SessionCache.Channel, connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                _heardSinceListen = false;
                Volatile.Write(ref _listenedAt, _time.GetTimestamp());
                Volatile.Write(ref _heardAt, _time.GetTimestamp());
                _cache.Flush();
                Interlocked.Increment(ref _connections);
                retry = _firstRetry;
                LogListening(_logger);
                while (true)
                {
                    await connection.WaitAsync(_interval, stoppingToken);
                    if (_time.GetElapsedTime(Volatile.Read(ref _heardAt)) > _reconnectAfter)
                    {
                        throw new TimeoutException("No heartbeat came back on the listening connection.");
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (TimeoutException) when (!_heardSinceListen)
            {
                // A connection that LISTENed and never heard itself: through a pooler in transaction
                // mode the LISTEN stays on a server connection handed to other clients, so this
                // repeats on every reconnect. Said once, as an error, with the setting to change.
                if (Interlocked.Exchange(ref _neverHeardLogged, 1) == 0)
                {
                    LogNeverHeard(_logger, (int)_reconnectAfter.TotalMilliseconds);
                }
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException or InvalidOperationException)
            {
                LogLost(_logger, e.GetType().Name, (int)retry.TotalMilliseconds);
            }
            finally
            {
                _cache.Disconnected();
            }

            try
            {
                await Task.Delay(retry, _time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            retry = TimeSpan.FromTicks(Math.Min(2 * retry.Ticks, _lastRetry.Ticks));
        }
    }

    private async Task BeatAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval, _time);
        NpgsqlConnection? connection = null;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                _cache.FlushIfLate();
                _cache.SweepIfDue(_time.GetUtcNow());
                try
                {
                    connection ??= await _dataSource.OpenConnectionAsync(stoppingToken);
                    var sequence = _sent + 1;
                    _sentAt[sequence % _sentAt.Length] = _time.GetTimestamp();
                    Volatile.Write(ref _sent, sequence);
                    await using var notify = new NpgsqlCommand("SELECT pg_notify($1, $2)", connection);
                    notify.Parameters.Add(new NpgsqlParameter<string> { TypedValue = SessionCache.Channel });
                    notify.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _heartbeatPrefix + sequence.ToString(CultureInfo.InvariantCulture) });
                    await notify.ExecuteNonQueryAsync(stoppingToken);
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException or InvalidOperationException)
                {
                    // The cache stops being current by itself when no heartbeat returns; the next beat reconnects.
                    LogHeartbeatFailed(_logger, e);
                    if (connection is not null)
                    {
                        await connection.DisposeAsync();
                        connection = null;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>Runs on the listening connection's reader, in commit order.</summary>
    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        var payload = e.Payload;
        if (!payload.StartsWith("h:", StringComparison.Ordinal))
        {
            _cache.Apply(payload);
            return;
        }

        // Other instances' heartbeats are theirs to count.
        if (payload.StartsWith(_heartbeatPrefix, StringComparison.Ordinal)
            && long.TryParse(payload.AsSpan(_heartbeatPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
        {
            var sent = Volatile.Read(ref _sent);
            if (sequence <= sent && sent - sequence < _sentAt.Length / 2)
            {
                var sentAt = _sentAt[sequence % _sentAt.Length];
                Volatile.Write(ref _heardAt, _time.GetTimestamp());
                // Only a heartbeat sent after this connection's LISTEN proves it caught up.
                if (sentAt >= Volatile.Read(ref _listenedAt))
                {
                    _heardSinceListen = true;
                    _cache.Confirmed(sentAt);
                }
            }
        }
    }

    [LoggerMessage(EventId = 1300, Level = LogLevel.Information, Message = "Session cache listening for invalidations")]
    private static partial void LogListening(ILogger logger);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning,
        Message = "Session cache lost its listening connection ({Error}); every request reads the database until it is back, retrying in {RetryMs} ms")]
    private static partial void LogLost(ILogger logger, string error, int retryMs);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Error,
        Message = "Session cache: no heartbeat came back within {WaitMs} ms on the connection that LISTENs, so the cache is never trusted and every request reads the database. ConnectionStrings:PostgresListen (the main connection string when unset) must reach PostgreSQL directly, not through a pooler in transaction mode such as PgBouncer's")]
    private static partial void LogNeverHeard(ILogger logger, int waitMs);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Debug, Message = "Session cache heartbeat failed")]
    private static partial void LogHeartbeatFailed(ILogger logger, Exception error);
}
