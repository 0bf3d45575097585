using Paseto.Auth.Api.OpenApi;

namespace Paseto.Auth.Api.Hosting;

/// <summary>
/// Headers every response carries, set when the response starts so error responses get them too.
/// API answers carry tokens or personal data: no caching, no sniffing, no referrer, and a policy
/// that lets nothing load from them. The docs page needs Swagger UI's scripts and styles, so it
/// gets a policy of its own: files from the service itself, and of inline scripts only those it
/// names by hash (Swagger UI's styles need inline ones). The account console (<c>/account</c>) gets
/// another: scripts, styles and calls to the service itself and nothing inline, no framing, DOM
/// sinks closed by Trusted Types; its hashed files are cached for a year, its page never. In
/// Production, answers over HTTPS also tell browsers to use nothing else for a year (HSTS); set
/// here rather than by UseHsts so error responses carry it too.
/// </summary>
internal static class SecurityHeaders
{
    private const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'";
    private const string DocsScripts = "default-src 'self'; script-src 'self'";
    private const string DocsRest = "; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";

    // img-src allows data: for one image, the QR code of TOTP enrolment (an SVG the API returns in
    // JSON): an SVG shown through <img> is an image only, with no script, no fetch and no DOM of
    // the page (docs/threat-model.md), so data: images add no way to run code.
    private const string ConsolePolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'; require-trusted-types-for 'script'; trusted-types 'none'";

    // A hashed file's name changes with its content, so a year is safe, and immutable spares the revalidation.
    private const string ImmutableAsset = "public, max-age=31536000, immutable";

    private const string HstsPolicy = "max-age=31536000; includeSubDomains";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app, bool hsts)
    {
        // One callback for every request, its state the request: nothing allocated per request.
        Func<object, Task> setHeaders = state =>
        {
            var http = (HttpContext)state;
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            var docs = http.Request.Path.StartsWithSegments(OpenApiSetup.DocsPath);
            var asset = false;
            var console = !docs && AccountConsole.Serves(http.Request, out asset);
            headers.ContentSecurityPolicy = docs ? DocsPolicy(http) : console ? ConsolePolicy : ApiPolicy;
            if (console)
            {
                // Its own browsing context group: no page it did not open keeps a handle on it.
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                headers.CacheControl = asset && http.Response.StatusCode is StatusCodes.Status200OK or StatusCodes.Status304NotModified
                    ? ImmutableAsset
                    : "no-store";
            }
            else if (!docs && !http.Request.Path.StartsWithSegments(OpenApiSetup.DocumentsPath))
            {
                headers.CacheControl = "no-store";
            }

            // Every error body is a problem document, whichever writer produced it (MVC's
            // negotiates plain JSON for some framework errors, such as a 415 from [Consumes]).
            if (http.Response.StatusCode >= 400 && http.Response.ContentType?.StartsWith("application/json", StringComparison.Ordinal) == true)
            {
                http.Response.ContentType = ErrorHandling.Problems.ContentType;
            }

            if (hsts && http.Request.IsHttps)
            {
                headers.StrictTransportSecurity = HstsPolicy;
            }

            return Task.CompletedTask;
        };
        return app.Use((context, next) =>
        {
            context.Response.OnStarting(setHeaders, context);
            return next(context);
        });
    }

    private static string DocsPolicy(HttpContext http) => InlineScriptHashes.Of(http) is { Length: > 0 } hashes
        ? string.Concat(DocsScripts, " ", hashes, DocsRest)
        : DocsScripts + DocsRest;
}
