using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Paseto.Auth.Api.Hosting;

/// <summary>
/// The sizes a request may have (<c>Limits:*</c>). Every request this API takes is small, so the
/// limits are tight: a caller cannot make the service buffer, parse or hash much on its behalf.
/// </summary>
public sealed class RequestLimitOptions
{
    public const string Section = "Limits";

    /// <summary>The largest request body, in bytes; a larger one is answered 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 256 * 1024;

    /// <summary>The largest total of request header names and values, in bytes; more is answered 431.</summary>
    public int MaxRequestHeadersBytes { get; set; } = 16 * 1024;

    /// <summary>How deeply JSON bodies may nest; deeper is answered 400.</summary>
    public int MaxJsonDepth { get; set; } = 32;
}

/// <summary>
/// Enforces <see cref="RequestLimitOptions"/> before anything reads the request, and answers with
/// a problem (via the exception handler) rather than the server's bare status line.
/// Kestrel keeps hard limits of its own above these, as a backstop for requests that never reach
/// the pipeline (its answer then has no body).
/// </summary>
internal static class RequestLimits
{
    public static IServiceCollection AddRequestLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RequestLimitOptions>()
            .Bind(configuration.GetSection(RequestLimitOptions.Section))
            .Validate(o => o.MaxRequestBodyBytes > 0 && o.MaxRequestHeadersBytes > 0 && o.MaxJsonDepth > 0,
                "Limits:MaxRequestBodyBytes, Limits:MaxRequestHeadersBytes and Limits:MaxJsonDepth must be positive.")
            .ValidateOnStart();
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<RequestLimitOptions>>((kestrel, limits) =>
        {
            kestrel.Limits.MaxRequestBodySize = limits.Value.MaxRequestBodyBytes;
            // Room above the configured limit, so the middleware below answers first and with a problem.
            kestrel.Limits.MaxRequestHeadersTotalSize = Math.Max(32 * 1024, 2 * limits.Value.MaxRequestHeadersBytes);
            kestrel.AddServerHeader = false;
            kestrel.RequestHeaderEncodingSelector = _ => HeaderEncoding.Utf8OrLatin1;
        });
        return services;
    }

    public static IApplicationBuilder UseRequestLimits(this IApplicationBuilder app)
    {
        var limits = app.ApplicationServices.GetRequiredService<IOptions<RequestLimitOptions>>().Value;
        return app.Use((context, next) =>
        {
            if (HeadersSize(context.Request.Headers) > limits.MaxRequestHeadersBytes)
            {
                throw new Microsoft.AspNetCore.Http.BadHttpRequestException("Request headers too large.", StatusCodes.Status431RequestHeaderFieldsTooLarge);
            }

            if (context.Request.ContentLength > limits.MaxRequestBodyBytes)
            {
                throw new Microsoft.AspNetCore.Http.BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge);
            }

            // A body without a length (chunked) is cut off by the server while it is read; on a
            // server that enforces no per-request limit (the in-memory test server) it is counted here.
            var bodySize = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
            if (bodySize is { IsReadOnly: false })
            {
                bodySize.MaxRequestBodySize = limits.MaxRequestBodyBytes;
            }
            else if (bodySize is null && context.Request.ContentLength is null)
            {
                context.Request.Body = new CountingReadStream(context.Request.Body, limits.MaxRequestBodyBytes);
            }

            return next(context);
        });
    }

    private static long HeadersSize(IHeaderDictionary headers)
    {
        long size = 0;
        foreach (var (name, values) in headers)
        {
            size += name.Length + 4;
            foreach (var value in values)
            {
                size += value?.Length ?? 0;
            }
        }

        return size;
    }
}
