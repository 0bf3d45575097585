namespace Paseto.Auth.Api.Hosting;

/// <summary>
/// Headers every response carries, set when the response starts so error responses get them too.
/// API answers carry tokens or personal data: no caching, no sniffing, no referrer, and a policy
/// that lets nothing load from them. The docs page needs Swagger UI's scripts and styles, so it
/// gets a policy of its own.
/// </summary>
internal static class SecurityHeaders
{
    private const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'";
    private const string DocsPolicy = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var http = (HttpContext)state;
                var headers = http.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                var docs = http.Request.Path.StartsWithSegments("/docs");
                headers.ContentSecurityPolicy = docs ? DocsPolicy : ApiPolicy;
                if (!docs && !http.Request.Path.StartsWithSegments("/openapi"))
                {
                    headers.CacheControl = "no-store";
                }

                return Task.CompletedTask;
            }, context);
            return next(context);
        });
}
