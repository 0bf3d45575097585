using Microsoft.Extensions.Options;

namespace Paseto.Auth.Api.ErrorHandling;

/// <summary>
/// The one writer of problems: always <c>application/problem+json</c>, whatever the request's
/// <c>Accept</c> says (RFC 9110 §12.5.1 lets a server disregard it). The framework's writers
/// decline a client that accepts only, say, <c>text/html</c>: an unknown address then answered
/// in plain text, and a 400 lost its <c>errors</c> to a blank problem made up again from the status.
/// The type and title are left to <see cref="ProblemDetailsOptions.CustomizeProblemDetails"/>,
/// which makes a problem without a type of its own <c>about:blank</c> (RFC 9457 §4.2.1).
/// </summary>
internal sealed class ProblemWriter(IOptions<ProblemDetailsOptions> options, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        problem.Status ??= context.HttpContext.Response.StatusCode;
        options.Value.CustomizeProblemDetails?.Invoke(context);
        return new ValueTask(context.HttpContext.Response.WriteAsJsonAsync(
            problem, problem.GetType(), json.Value.SerializerOptions, Problems.ContentType, context.HttpContext.RequestAborted));
    }
}
