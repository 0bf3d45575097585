using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace Paseto.Auth.Api.Hosting;

/// <summary>
/// Keeps a request body readable while the server shuts down. On SIGTERM Kestrel cancels the
/// pending read of every connection so that idle ones close; a request whose body is still
/// arriving then sees its body read come back canceled, which the JSON reader turns into an
/// <see cref="OperationCanceledException"/> and the request into a 500. This wrapper waits for
/// the rest of the body instead, so the request is drained and answered like any other.
/// </summary>
internal static class ShutdownSafeRequestBody
{
    public static IApplicationBuilder UseShutdownSafeRequestBody(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (context.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: true })
            {
                context.Request.Body = new ShutdownSafeBodyReader(context.Request.BodyReader).AsStream();
            }

            return next(context);
        });
}

/// <summary>
/// Passes a body reader through, except a canceled read its own user did not ask for
/// (<see cref="CancelPendingRead"/>): that one is answered with the data so far, or waited out.
/// </summary>
internal sealed class ShutdownSafeBodyReader(PipeReader inner) : PipeReader
{
    private int _cancelRequested;

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var result = await inner.ReadAsync(cancellationToken);
            if (TryAccept(ref result))
            {
                return result;
            }
        }
    }

    public override bool TryRead(out ReadResult result) => inner.TryRead(out result) && TryAccept(ref result);

    public override void CancelPendingRead()
    {
        Interlocked.Exchange(ref _cancelRequested, 1);
        inner.CancelPendingRead();
    }

    public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);

    /// <summary>
    /// Does not pass on: the server completes its own body reader when the request ends, and one
    /// completed again after that throws.
    /// </summary>
    public override void Complete(Exception? exception = null)
    {
    }

    /// <summary>
    /// False for a read the server canceled with nothing in it: it is marked examined, so the next
    /// read waits for more of the body.
    /// </summary>
    private bool TryAccept(ref ReadResult result)
    {
        if (!result.IsCanceled || Interlocked.Exchange(ref _cancelRequested, 0) == 1)
        {
            return true;
        }

        if (result.Buffer.IsEmpty && !result.IsCompleted)
        {
            inner.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            return false;
        }

        result = new ReadResult(result.Buffer, isCanceled: false, result.IsCompleted);
        return true;
    }
}
