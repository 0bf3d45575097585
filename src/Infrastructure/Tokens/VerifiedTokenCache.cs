using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Paseto.Auth.Application.Abstractions;

namespace Paseto.Auth.Infrastructure.Tokens;

/// <summary>
/// Access tokens this process has already verified, by the SHA-256 of the token's text, so a
/// token presented again skips the signature check (an Ed25519 verification costs about 92 µs,
/// a hash of the token about 1 µs). An entry is served only strictly before the token's
/// <c>exp</c>, so whatever the validator's clock skew allows past it goes through the full check,
/// which also answers "expired". Only what verified is kept; a token is its own proof, so nothing
/// about it can change later but time (revocation is the session check's, which runs on every
/// request all the same). Keys change only with a restart, which empties it.
/// </summary>
internal sealed class VerifiedTokenCache(int maxEntries, TimeProvider time)
{
    private readonly ConcurrentDictionary<TokenHash, InspectedAccessToken> _entries = new();
    private long _nextSweepTicks;

    public bool TryGet(string token, out InspectedAccessToken? inspected)
    {
        if (_entries.TryGetValue(TokenHash.Of(token), out var found) && time.GetUtcNow() < found.ExpiresAt)
        {
            inspected = found;
            return true;
        }

        inspected = null;
        return false;
    }

    public void Add(string token, InspectedAccessToken inspected)
    {
        var now = time.GetUtcNow();
        if (now >= inspected.ExpiresAt)
        {
            return;
        }

        if (_entries.Count >= maxEntries && !SweepIfDue(now))
        {
            return;
        }

        _entries.TryAdd(TokenHash.Of(token), inspected);
    }

    /// <summary>Drops expired tokens, at most once a second; true when there is room afterwards.</summary>
    private bool SweepIfDue(DateTimeOffset now)
    {
        var due = Volatile.Read(ref _nextSweepTicks);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref _nextSweepTicks, now.UtcTicks + TimeSpan.TicksPerSecond, due) != due)
        {
            return false;
        }

        foreach (var entry in _entries)
        {
            if (now >= entry.Value.ExpiresAt)
            {
                _entries.TryRemove(entry);
            }
        }

        return _entries.Count < maxEntries;
    }

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct TokenHash(ulong A, ulong B, ulong C, ulong D)
    {
        public static TokenHash Of(string token)
        {
            // Tokens are short ASCII (PasetoLimits bounds them); longer input is hashed from the heap.
            var length = Encoding.UTF8.GetMaxByteCount(token.Length);
            var buffer = length <= 4096 ? stackalloc byte[length] : new byte[length];
            var written = Encoding.UTF8.GetBytes(token, buffer);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer[..written], hash);
            return MemoryMarshal.Read<TokenHash>(hash);
        }
    }
}
