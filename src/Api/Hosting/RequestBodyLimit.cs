using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Paseto.Auth.Api.Hosting;

/// <summary>The <c>Limits</c> settings section.</summary>
public sealed class RequestLimitsOptions
{
    public const string Section = "Limits";

    /// <summary>The largest request body accepted, in bytes (default 1 MiB; Kestrel's own default is 30 MB).</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}

/// <summary>
/// One body-size limit for every request, whatever server runs the app: a declared
/// <c>Content-Length</c> over it is refused before anything is read; for a body of unknown length
/// (chunked), servers that enforce a per-request limit (Kestrel, IIS, HTTP.sys) are given it, and on
/// one that does not (the in-memory test server) the body is counted as it is read. Either way the
/// answer is a 413 problem from <see cref="ErrorHandling.ApiExceptionHandler"/>, never a 500.
/// </summary>
internal static class RequestBodyLimit
{
    public static IServiceCollection AddRequestBodyLimit(this IServiceCollection services)
    {
        services.AddOptions<RequestLimitsOptions>()
            .BindConfiguration(RequestLimitsOptions.Section)
            .Validate(o => o.MaxRequestBodyBytes > 0, "Limits:MaxRequestBodyBytes must be positive.")
            .ValidateOnStart();
        return services;
    }

    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app)
    {
        var limit = app.ApplicationServices.GetRequiredService<IOptions<RequestLimitsOptions>>().Value.MaxRequestBodyBytes;
        return app.Use((context, next) =>
        {
            if (context.Request.ContentLength > limit)
            {
                throw TooLarge();
            }

            var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
            if (feature is { IsReadOnly: false })
            {
                feature.MaxRequestBodySize = limit;
            }
            else if (feature is null && context.Request.ContentLength is null)
            {
                context.Request.Body = new CountingReadStream(context.Request.Body, limit);
            }

            return next(context);
        });
    }

    private static BadHttpRequestException TooLarge() =>
        new("The request body is too large.", StatusCodes.Status413PayloadTooLarge);

    /// <summary>Passes the body through and fails the read that goes past the limit.</summary>
    private sealed class CountingReadStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int read)
        {
            _read += read;
            return _read > limit ? throw TooLarge() : read;
        }
    }
}
