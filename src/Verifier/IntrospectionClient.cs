using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;

namespace Paseto.Auth.Verifier;

/// <summary>What the service's introspection said of a token.</summary>
internal enum IntrospectionOutcome
{
    Active,
    Inactive,
    Unavailable,
}

internal sealed record IntrospectionResult(IntrospectionOutcome Outcome, IntrospectionAnswer? Answer, string? Reason = null);

/// <summary>
/// Asks the service's token introspection (RFC 7662) about a token, with the resource-server
/// credential in HTTP Basic (RFC 6749 §2.3.1: id and secret form-encoded before base64).
/// </summary>
/// <remarks>
/// Only active answers are cached, and only when a cache duration is set: for that long a logout
/// is not seen, which is the trade the setting names. An entry never outlives the token's
/// <c>exp</c>. Entries are keyed by the token's SHA-256, so the cache holds no token, and are
/// bounded in number, so tokens cannot grow memory without end.
/// </remarks>
internal sealed partial class IntrospectionClient : IDisposable
{
    private const int MaxCachedTokens = 10_000;
    private const int MaxAnswerBytes = 16 * 1024;

    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly AuthenticationHeaderValue _credential;
    private readonly TimeSpan _cacheDuration;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly MemoryCache? _cache;

    public IntrospectionClient(HttpClient http, Uri endpoint, string clientId, string clientSecret, TimeSpan cacheDuration, TimeProvider time, ILogger logger)
    {
        _http = http;
        _endpoint = endpoint;
        var pair = $"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(clientSecret)}";
        _credential = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
        _cacheDuration = cacheDuration;
        _time = time;
        _logger = logger;
        _cache = cacheDuration > TimeSpan.Zero
            ? new MemoryCache(new MemoryCacheOptions { SizeLimit = MaxCachedTokens })
            : null;
    }

    public async Task<IntrospectionResult> IntrospectAsync(string token, CancellationToken cancellationToken)
    {
        var key = _cache is null ? null : Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        if (key is not null && _cache!.TryGetValue(key, out IntrospectionAnswer? cached) && cached is not null)
        {
            return new IntrospectionResult(IntrospectionOutcome.Active, cached);
        }

        IntrospectionAnswer? answer;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint)
            {
                Content = new FormUrlEncodedContent([new("token", token), new("token_type_hint", "access_token")]),
            };
            request.Headers.Authorization = _credential;
            request.Headers.Accept.ParseAdd("application/json");
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                var reason = response.StatusCode == HttpStatusCode.Unauthorized
                    ? "the service refused the introspection credential"
                    : $"status {(int)response.StatusCode}";
                LogUnavailable(_logger, _endpoint, reason);
                return new IntrospectionResult(IntrospectionOutcome.Unavailable, null, reason);
            }

            if (response.Content.Headers.ContentLength > MaxAnswerBytes)
            {
                return Unavailable("the answer is too large");
            }

            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (body.Length > MaxAnswerBytes)
            {
                return Unavailable("the answer is too large");
            }

            answer = System.Text.Json.JsonSerializer.Deserialize(body, VerifierJsonContext.Default.IntrospectionAnswer);
        }
        catch (Exception e) when (e is HttpRequestException or System.Text.Json.JsonException
            || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return Unavailable(e.Message);
        }

        if (answer is not { Active: true })
        {
            return new IntrospectionResult(IntrospectionOutcome.Inactive, answer);
        }

        if (key is not null && answer.Expiration is { } exp)
        {
            var until = DateTimeOffset.FromUnixTimeSeconds(exp);
            var lifetime = until - _time.GetUtcNow();
            var keep = lifetime < _cacheDuration ? lifetime : _cacheDuration;
            if (keep > TimeSpan.Zero)
            {
                _cache!.Set(key, answer, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = keep });
            }
        }

        return new IntrospectionResult(IntrospectionOutcome.Active, answer);
    }

    public void Dispose() => _cache?.Dispose();

    private IntrospectionResult Unavailable(string reason)
    {
        LogUnavailable(_logger, _endpoint, reason);
        return new IntrospectionResult(IntrospectionOutcome.Unavailable, null, reason);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Token introspection at {Uri} failed ({Reason}); the token is refused.")]
    private static partial void LogUnavailable(ILogger logger, Uri uri, string reason);
}
