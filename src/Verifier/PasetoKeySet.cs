using Microsoft.Extensions.Logging;
using Paseto.Auth.Contracts;
using Paseto.Auth.Paseto;

namespace Paseto.Auth.Verifier;

/// <summary>
/// The service's verification keys as this process holds them, fetched from <c>GET /v1/keys</c>.
/// </summary>
/// <remarks>
/// <para>
/// Every fetch replaces the whole set, so a key the service no longer serves is dropped with the
/// next one. Fetches are rare and bounded: the first token waits for the first fetch; after
/// that, keys older than the refresh interval are fetched again in the background while requests
/// keep using the ones held; a token naming a key not held asks for a fetch too, because a
/// rotation on the service looks just like that. Whatever asks, at most one fetch runs at a time
/// (others join it) and none starts within the minimum interval of the last one, failed or not:
/// a flood of tokens with made-up key ids, or a service that is down, costs one request an interval.
/// </para>
/// <para>
/// A failed fetch keeps the keys already held: a service that is briefly unreachable does not
/// make every token invalid.
/// </para>
/// </remarks>
internal sealed partial class PasetoKeySet(
    HttpClient http,
    Uri keysUri,
    PasetoValidationOptions validation,
    TimeSpan refreshInterval,
    TimeSpan minInterval,
    TimeProvider time,
    ILogger logger)
{
    /// <summary>Larger answers are refused: a key list is a few hundred bytes per key.</summary>
    private const int MaxAnswerBytes = 256 * 1024;

    private readonly Lock _gate = new();
    private volatile Snapshot? _current;
    private Task<Snapshot?>? _fetching;
    private long _lastAttemptTicks = long.MinValue;
    private long _lastUnknownKeyTicks = long.MinValue;

    /// <summary>The keys held now, for a token with a known key; fetches first when none are held.</summary>
    public async ValueTask<PasetoTokenFormat<AccessTokenClaims>?> GetAsync()
    {
        var current = _current;
        if (current is null)
        {
            return (await (TryStartFetch(unknownKey: false) ?? Task.FromResult<Snapshot?>(null)))?.Format;
        }

        if (time.GetUtcNow() - current.FetchedAt >= refreshInterval)
        {
            // In the background: this request goes on with the keys held.
            _ = TryStartFetch(unknownKey: false);
        }

        return current.Format;
    }

    /// <summary>
    /// A token named a key not held: fetches again unless a fetch ran within the minimum interval,
    /// joining one that is running. Returns the keys held afterwards.
    /// </summary>
    public async ValueTask<PasetoTokenFormat<AccessTokenClaims>?> RefetchForUnknownKeyAsync()
    {
        var fetch = TryStartFetch(unknownKey: true);
        return fetch is null ? _current?.Format : (await fetch)?.Format;
    }

    /// <summary>
    /// Starts a fetch, or joins the running one; null when the minimum interval has not passed.
    /// An unknown key counts from the last fetch an unknown key caused, so a rotation just after
    /// a scheduled fetch is still seen at once; scheduled fetches count from the last fetch of any
    /// kind, so a service that is down is asked once an interval.
    /// </summary>
    private Task<Snapshot?>? TryStartFetch(bool unknownKey)
    {
        lock (_gate)
        {
            if (_fetching is { IsCompleted: false } running)
            {
                return running;
            }

            var now = time.GetUtcNow().UtcTicks;
            var last = unknownKey ? _lastUnknownKeyTicks : _lastAttemptTicks;
            if (last != long.MinValue && now - last < minInterval.Ticks)
            {
                return null;
            }

            _lastAttemptTicks = now;
            if (unknownKey)
            {
                _lastUnknownKeyTicks = now;
            }

            _fetching = FetchAsync();
            return _fetching;
        }
    }

    private async Task<Snapshot?> FetchAsync()
    {
        // Off the caller's context and free of its cancellation: a fetch serves every request.
        await Task.Yield();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, keysUri);
            request.Headers.Accept.ParseAdd("application/json");
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            if (!response.IsSuccessStatusCode)
            {
                LogFetchFailed(logger, keysUri, $"status {(int)response.StatusCode}");
                return _current;
            }

            if (response.Content.Headers.ContentLength > MaxAnswerBytes)
            {
                LogFetchFailed(logger, keysUri, "the answer is too large");
                return _current;
            }

            await using var body = await response.Content.ReadAsStreamAsync();
            using var limited = new MemoryStream();
            await CopyAtMostAsync(body, limited, MaxAnswerBytes);
            limited.Position = 0;
            var published = await System.Text.Json.JsonSerializer.DeserializeAsync(limited, VerifierJsonContext.Default.PublishedKeys);
            var keys = Read(published);
            var snapshot = new Snapshot(
                keys.Count == 0 ? null : AccessTokenClaims.Format(KeyRing.ForVerification(keys), validation, time),
                time.GetUtcNow());
            _current = snapshot;
            LogFetched(logger, keys.Count, keysUri);
            return snapshot;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or InvalidDataException)
        {
            LogFetchFailed(logger, keysUri, e.Message);
            return _current;
        }
    }

    /// <summary>The served keys that are what they say: a valid <c>k4.public</c> whose id is the <c>kid</c> given with it, each once.</summary>
    private List<AsymmetricPublicKey> Read(PublishedKeys? published)
    {
        var keys = new List<AsymmetricPublicKey>();
        foreach (var entry in published?.Keys ?? [])
        {
            if (entry?.Paserk is { } paserk && AsymmetricPublicKey.TryParsePaserk(paserk, out var key)
                && string.Equals(key.Id, entry.Kid, StringComparison.Ordinal)
                && !keys.Exists(k => k.Id == key.Id))
            {
                keys.Add(key);
            }
            else
            {
                LogKeySkipped(logger, keysUri);
            }
        }

        return keys;
    }

    private static async Task CopyAtMostAsync(Stream source, Stream destination, int limit)
    {
        var buffer = new byte[16 * 1024];
        int read;
        var total = 0;
        while ((read = await source.ReadAsync(buffer)) > 0)
        {
            total += read;
            if (total > limit)
            {
                throw new InvalidDataException("the answer is too large");
            }

            await destination.WriteAsync(buffer.AsMemory(0, read));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Fetched {Count} verification keys from {Uri}.")]
    private static partial void LogFetched(ILogger logger, int count, Uri uri);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fetching the verification keys from {Uri} failed ({Reason}); the keys held are kept.")]
    private static partial void LogFetchFailed(ILogger logger, Uri uri, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An entry of the keys at {Uri} is not a k4.public key with its own id, or is there twice; it is skipped.")]
    private static partial void LogKeySkipped(ILogger logger, Uri uri);

    /// <param name="Format">The format over the keys fetched; null when the service serves none (purpose local).</param>
    /// <param name="FetchedAt">When they were fetched, for the refresh interval.</param>
    private sealed record Snapshot(PasetoTokenFormat<AccessTokenClaims>? Format, DateTimeOffset FetchedAt);
}
