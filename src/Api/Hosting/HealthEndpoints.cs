using System.Globalization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Paseto.Auth.Api.ErrorHandling;

namespace Paseto.Auth.Api.Hosting;

/// <summary>The answer of a health endpoint that is up.</summary>
/// <param name="Status"><c>healthy</c>.</param>
public sealed record HealthResponse(string Status);

/// <summary>
/// Liveness (the process runs; nothing else is asked) and readiness (the database answers and has
/// every migration this build knows). Not ready is a 503 problem with <c>Retry-After</c>, like
/// every other answer given while the database is away.
/// </summary>
internal static class HealthEndpoints
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";
    public const string NotReadyDetail = "Not ready: the database is unreachable or its schema is not up to date.";

    public static WebApplication MapHealthEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(Infrastructure.DependencyInjection.ReadyTag),
            ResponseWriter = WriteAsync,
        });
        return app;
    }

    private static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        if (report.Status != HealthStatus.Unhealthy)
        {
            await context.Response.WriteAsJsonAsync(new HealthResponse(report.Status.ToString().ToLowerInvariant()));
            return;
        }

        // The failing check's description is fixed words (unreachable, credentials refused, schema
        // behind); its exception, which can name hosts and users, stays in the log.
        var reason = report.Entries.Values
            .Where(e => e.Status == HealthStatus.Unhealthy)
            .Select(e => e.Description)
            .FirstOrDefault(d => !string.IsNullOrEmpty(d));
        context.Response.Headers.RetryAfter = ApiExceptionHandler.DatabaseRetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = Problems.Create(
                StatusCodes.Status503ServiceUnavailable,
                reason is null ? NotReadyDetail : $"Not ready: {reason}",
                ProblemTypes.Unavailable),
        });
    }
}
