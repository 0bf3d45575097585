using System.Diagnostics;
using Paseto.Auth.Application.Common;

namespace Paseto.Auth.Infrastructure.Security;

/// <summary>
/// The process-wide bound on concurrent hashes (a semaphore with one slot per core), reporting
/// how long each caller waited for its slot in <see cref="ServiceMetrics.PasswordHashQueueWait"/>:
/// the queue a login storm builds shows there, before it shows in the logins' latency.
/// </summary>
internal sealed class HashingSlots(int count) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(count, count);

    /// <summary>Takes a slot, waiting asynchronously (holding no thread) while all are taken; cancellation stops the wait only.</summary>
    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        // A free slot is taken without allocating the wait's task.
        if (!_slots.Wait(0, cancellationToken))
        {
            await _slots.WaitAsync(cancellationToken);
        }

        ServiceMetrics.PasswordHashQueueWait.Record(ServiceMetrics.SecondsSince(start));
    }

    public void Release() => _slots.Release();

    public void Dispose() => _slots.Dispose();
}

/// <summary>An engine that reports how long each Argon2id computation took in <see cref="ServiceMetrics.PasswordHashDuration"/>.</summary>
internal sealed class MeteredArgon2idEngine(IArgon2idEngine inner) : IArgon2idEngine
{
    /// <summary>The engine that computes.</summary>
    public IArgon2idEngine Inner => inner;

    public bool Supports(Argon2idParameters parameters, int saltLength, int hashLength) => inner.Supports(parameters, saltLength, hashLength);

    public void DeriveKey(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, Argon2idParameters parameters, Span<byte> hash)
    {
        var start = Stopwatch.GetTimestamp();
        inner.DeriveKey(password, salt, parameters, hash);
        ServiceMetrics.PasswordHashDuration.Record(ServiceMetrics.SecondsSince(start));
    }
}
