using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Options;

namespace Paseto.Auth.Api.RequestBodies;

/// <summary>
/// Bodies are UTF-8. A body in any other charset is refused with a 415 before anything reads it:
/// JSON is UTF-8 (RFC 8259 §8.1), and so are our forms; other charsets would be transcoded, and a
/// transcoding error (an odd byte count in UTF-16, say) would escape as a 500. A form is read here,
/// by <see cref="Utf8Form"/>, so that bytes that are not UTF-8 are refused rather than replaced.
/// </summary>
internal sealed class Utf8BodyFilter(IOptions<FormOptions> formOptions) : IAsyncResourceFilter
{
    public async Task OnResourceExecutionAsync(ResourceExecutingContext context, ResourceExecutionDelegate next)
    {
        var request = context.HttpContext.Request;
        if (request.ContentType is { } contentType
            && (Reads(context.ActionDescriptor, BindingSource.Body) || Reads(context.ActionDescriptor, BindingSource.Form)))
        {
            if (AcceptedMediaTypes.HasForeignCharset(contentType))
            {
                context.Result = new UnsupportedMediaTypeResult();
                return;
            }

            if (request.HasFormContentType && Reads(context.ActionDescriptor, BindingSource.Form))
            {
                using var body = await PooledBody.ReadAsync(request, context.HttpContext.RequestAborted);
                var fields = Utf8Form.Parse(body.Span, formOptions.Value.ValueCountLimit);
                context.HttpContext.Features.Set<IFormFeature>(new FormFeature(new FormCollection(fields)));
            }
        }

        await next();
    }

    private static bool Reads(ActionDescriptor action, BindingSource source) =>
        action.Parameters.Any(p => p.BindingInfo?.BindingSource == source);
}
