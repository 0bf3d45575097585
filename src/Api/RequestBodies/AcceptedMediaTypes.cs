using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Net.Http.Headers;

namespace Paseto.Auth.Api.RequestBodies;

/// <summary>
/// What a 415 tells the client to send instead: the media types the operations at the request's
/// address read, always in UTF-8. Routing answers a content type no operation reads with an
/// endpoint of its own that knows nothing of the operations, so they are looked up by address.
/// </summary>
internal sealed class AcceptedMediaTypes(EndpointDataSource endpoints)
{
    public const string Utf8 = "utf-8";
    private const string Json = "application/json; charset=utf-8";

    private readonly Lazy<Route[]> _routes = new(() =>
    [
        .. endpoints.Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Endpoint: e, Accepts: e.Metadata.GetMetadata<IAcceptsMetadata>(), Methods: e.Metadata.GetMetadata<IHttpMethodMetadata>()))
            .Where(e => e.Accepts is { ContentTypes.Count: > 0 })
            .Select(e => new Route(
                new TemplateMatcher(new RouteTemplate(e.Endpoint.RoutePattern), new RouteValueDictionary()),
                e.Methods?.HttpMethods ?? [],
                e.Accepts!.ContentTypes)),
    ]);

    /// <summary>True when the content type names a charset, and that charset is not UTF-8 (in any case, quoted or not).</summary>
    public static bool HasForeignCharset(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
        && mediaType.Charset.HasValue
        && !HeaderUtilities.RemoveQuotes(mediaType.Charset).Equals(Utf8, StringComparison.OrdinalIgnoreCase);

    public string Detail(HttpRequest request)
    {
        var expected = string.Join(" or ", Expected(request.Method, request.Path));
        return HasForeignCharset(request.ContentType)
            ? $"Bodies are read in UTF-8 only: send {expected}."
            : $"Send the body as {expected}.";
    }

    private List<string> Expected(string method, PathString path)
    {
        var types = _routes.Value
            .Where(r => r.Methods.Contains(method, StringComparer.OrdinalIgnoreCase) && r.Matcher.TryMatch(path, []))
            .SelectMany(r => r.ContentTypes)
            .Select(t => t.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) ? Json : t)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        return types.Count > 0 ? types : [Json];
    }

    private sealed record Route(TemplateMatcher Matcher, IReadOnlyList<string> Methods, IReadOnlyList<string> ContentTypes);
}
