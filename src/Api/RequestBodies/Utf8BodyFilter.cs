using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Paseto.Auth.Api.RequestBodies;

/// <summary>
/// Refuses a body in any charset but UTF-8 with a 415 before anything reads it. JSON is UTF-8
/// (RFC 8259 §8.1), and so are our forms; other charsets would be transcoded, and a transcoding
/// error (an odd byte count in UTF-16, say) would escape as a 500.
/// </summary>
internal sealed class Utf8BodyFilter : IResourceFilter
{
    public void OnResourceExecuting(ResourceExecutingContext context)
    {
        if (context.HttpContext.Request.ContentType is { } contentType
            && AcceptedMediaTypes.HasForeignCharset(contentType)
            && ReadsBody(context.ActionDescriptor.Parameters))
        {
            context.Result = new UnsupportedMediaTypeResult();
        }
    }

    public void OnResourceExecuted(ResourceExecutedContext context)
    {
    }

    private static bool ReadsBody(IList<Microsoft.AspNetCore.Mvc.Abstractions.ParameterDescriptor> parameters) =>
        parameters.Any(p => p.BindingInfo?.BindingSource is { } source && (source == BindingSource.Body || source == BindingSource.Form));
}
