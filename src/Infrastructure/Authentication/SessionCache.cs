using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;
using Paseto.Auth.Application.Abstractions;

namespace Paseto.Auth.Infrastructure.Authentication;

/// <summary>
/// Each instance's memory of recent bearer checks (session → the caller as the database returned
/// them, with the session's <c>expires_at</c>), so a request of a known live session needs no
/// database round trip. What the database guarantees holds: every change of a user or session row
/// notifies every instance in the committing transaction (the migration's triggers), and this
/// instance drops what a notification names.
/// </summary>
/// <remarks>
/// <para>
/// Fail closed. The cache answers only while it is <em>current</em>: its listening connection is
/// up and the last heartbeat it sent itself came back less than
/// <see cref="SessionCacheOptions.Guarantee"/> after it was sent. PostgreSQL delivers
/// notifications in commit order, so receiving a heartbeat sent at <c>t</c> means every change
/// committed before <c>t</c> has been applied. While it is not current every request reads the
/// database and nothing read is kept; a lost connection or a late heartbeat flushes everything.
/// </para>
/// <para>
/// No stale fill. A read records the generation of its session, its user and the whole cache
/// before it goes to the database (<see cref="Begin"/>); an invalidation or flush moves them, and
/// an answer is stored, and served, only while they are unchanged. A read that began before a
/// revocation therefore never outlives it here. Generations are kept per stripe of ids, so a
/// user's change invalidates all their sessions without an index.
/// </para>
/// <para>
/// Entries keep the session's <c>expires_at</c> (expiry sends no notification) and the
/// <c>last_seen_at</c> read with them: once that is a minute old the next request reads the
/// database, which moves it, so <c>last_seen_at</c> keeps its one-minute resolution.
/// </para>
/// </remarks>
internal sealed class SessionCache
{
    /// <summary>The notification channel the triggers and heartbeats use.</summary>
    public const string Channel = "paseto_auth_cache";

    private const int StripeCount = 4096;
    private const int StripeMask = StripeCount - 1;

    private readonly ConcurrentDictionary<Guid, Entry> _entries = new();
    private readonly long[] _sessionStripes = new long[StripeCount];
    private readonly long[] _userStripes = new long[StripeCount];
    private readonly TimeProvider _time;
    private readonly long _guaranteeTicks;
    private readonly int _maxEntries;
    private long _epoch;
    private long _confirmedAt;
    private int _count;
    private int _sweeping;
    private long _nextSweepTicks;

    public SessionCache(IOptions<SessionCacheOptions> options, TimeProvider time)
    {
        var settings = options.Value;
        _time = time;
        Enabled = settings.Enabled;
        Guarantee = settings.Guarantee;
        EntryLifetime = settings.EntryLifetime;
        _maxEntries = settings.MaxEntries;
        _guaranteeTicks = (long)(settings.Guarantee.TotalSeconds * time.TimestampFrequency);
    }

    public bool Enabled { get; }

    public TimeSpan Guarantee { get; }

    public TimeSpan EntryLifetime { get; }

    /// <summary>How many times everything was dropped (reconnects, late heartbeats, TRUNCATE).</summary>
    public long Flushes => Volatile.Read(ref _epoch);

    /// <summary>How many invalidations of one session or user were applied.</summary>
    public long Invalidations => Volatile.Read(ref _invalidations);

    private long _invalidations;

    /// <summary>Whether answers may be served: the listening connection is up and its last heartbeat recent.</summary>
    public bool IsCurrent
    {
        get
        {
            var confirmed = Volatile.Read(ref _confirmedAt);
            return confirmed != 0 && _time.GetTimestamp() - confirmed <= _guaranteeTicks;
        }
    }

    /// <summary>
    /// The remembered caller of this subject's session, or null when the database must be asked:
    /// not remembered, not current, invalidated since, expired, or due for a <c>last_seen_at</c> update.
    /// </summary>
    public CallerIdentity? TryGet(AccessTokenSubject subject, DateTimeOffset now)
    {
        if (!Enabled || !IsCurrent || !_entries.TryGetValue(subject.SessionId, out var entry))
        {
            return null;
        }

        return entry.Stamp == StampOf(subject) && entry.Caller.UserId == subject.UserId && now < entry.ExpiresAt
            && now - entry.LastSeenAt < SessionReader.LastSeenResolution && now - entry.StoredAt < EntryLifetime
            ? entry.Caller
            : null;
    }

    /// <summary>Taken before a database read of <paramref name="subject"/>: null when whatever it reads may not be kept.</summary>
    public Stamp? Begin(AccessTokenSubject subject) => Enabled && IsCurrent ? StampOf(subject) : null;

    /// <summary>Keeps what a read begun at <paramref name="stamp"/> returned, unless anything it covers has changed since.</summary>
    public void Store(AccessTokenSubject subject, Stamp stamp, SessionRead read, DateTimeOffset now)
    {
        if (stamp != StampOf(subject) || !IsCurrent)
        {
            return;
        }

        var entry = new Entry(stamp, read.Caller, read.ExpiresAt, read.LastSeenAt, now);
        if (_entries.TryGetValue(subject.SessionId, out var old))
        {
            _entries.TryUpdate(subject.SessionId, entry, old);
        }
        else if (Volatile.Read(ref _count) < _maxEntries || SweepIfDue(now))
        {
            if (_entries.TryAdd(subject.SessionId, entry))
            {
                Interlocked.Increment(ref _count);
            }
        }
    }

    public void InvalidateSession(Guid sessionId)
    {
        Interlocked.Increment(ref _sessionStripes[SessionStripe(sessionId)]);
        Interlocked.Increment(ref _invalidations);
        if (_entries.TryRemove(sessionId, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    /// <summary>Invalidates every session of the user (the stripe moves; the entries go at the next sweep).</summary>
    public void InvalidateUser(int userId)
    {
        Interlocked.Increment(ref _userStripes[userId & StripeMask]);
        Interlocked.Increment(ref _invalidations);
    }

    /// <summary>Drops everything, and refuses every fill that began before.</summary>
    public void Flush()
    {
        Interlocked.Increment(ref _epoch);
        _entries.Clear();
        Volatile.Write(ref _count, 0);
    }

    /// <summary>The listening connection is gone: not current until it has listened again and a heartbeat came back.</summary>
    public void Disconnected()
    {
        Volatile.Write(ref _confirmedAt, 0);
        Flush();
    }

    /// <summary>
    /// A heartbeat sent at <paramref name="sentAt"/> came back: every change committed before it
    /// has been applied. After a gap longer than the guarantee, everything is flushed first.
    /// </summary>
    public void Confirmed(long sentAt)
    {
        var previous = Volatile.Read(ref _confirmedAt);
        if (previous != 0 && _time.GetTimestamp() - previous > _guaranteeTicks)
        {
            Flush();
        }

        if (sentAt > previous)
        {
            Volatile.Write(ref _confirmedAt, sentAt);
        }
    }

    /// <summary>Flushes when the last heartbeat is older than the guarantee (the heartbeat loop calls it every beat).</summary>
    public void FlushIfLate()
    {
        var confirmed = Volatile.Read(ref _confirmedAt);
        if (confirmed != 0 && _time.GetTimestamp() - confirmed > _guaranteeTicks)
        {
            Volatile.Write(ref _confirmedAt, 0);
            Flush();
        }
    }

    /// <summary>
    /// Applies a trigger's payload: <c>s:&lt;session id&gt;</c>, <c>u:&lt;user id&gt;</c> or
    /// <c>*</c>. Anything else flushes: a payload this version cannot read may name anything.
    /// </summary>
    public void Apply(string payload)
    {
        if (payload.StartsWith("s:", StringComparison.Ordinal) && Guid.TryParse(payload.AsSpan(2), out var sessionId))
        {
            InvalidateSession(sessionId);
        }
        else if (payload.StartsWith("u:", StringComparison.Ordinal)
            && int.TryParse(payload.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var userId))
        {
            InvalidateUser(userId);
        }
        else
        {
            Flush();
        }
    }

    /// <summary>
    /// Drops entries that can no longer be served, at most once a second (a full cache of live
    /// entries must not cost a scan per request); true when there is room afterwards.
    /// </summary>
    public bool SweepIfDue(DateTimeOffset now)
    {
        var due = Volatile.Read(ref _nextSweepTicks);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref _nextSweepTicks, now.UtcTicks + TimeSpan.TicksPerSecond, due) != due
            || Interlocked.Exchange(ref _sweeping, 1) == 1)
        {
            return false;
        }

        try
        {
            foreach (var (id, entry) in _entries)
            {
                var dead = entry.Stamp.Epoch != Volatile.Read(ref _epoch)
                    || entry.Stamp.Session != Volatile.Read(ref _sessionStripes[SessionStripe(id)])
                    || entry.Stamp.User != Volatile.Read(ref _userStripes[entry.Caller.UserId & StripeMask])
                    || now >= entry.ExpiresAt
                    || now - entry.StoredAt >= EntryLifetime;
                if (dead && _entries.TryRemove(new KeyValuePair<Guid, Entry>(id, entry)))
                {
                    Interlocked.Decrement(ref _count);
                }
            }

            return Volatile.Read(ref _count) < _maxEntries;
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }

    private Stamp StampOf(AccessTokenSubject subject) => new(
        Volatile.Read(ref _epoch),
        Volatile.Read(ref _sessionStripes[SessionStripe(subject.SessionId)]),
        Volatile.Read(ref _userStripes[subject.UserId & StripeMask]));

    private static int SessionStripe(Guid id) => id.GetHashCode() & StripeMask;

    /// <summary>The generations a read began at: the whole cache's, its session stripe's and its user stripe's.</summary>
    internal readonly record struct Stamp(long Epoch, long Session, long User);

    private sealed record Entry(Stamp Stamp, CallerIdentity Caller, DateTimeOffset ExpiresAt, DateTimeOffset LastSeenAt, DateTimeOffset StoredAt);
}
