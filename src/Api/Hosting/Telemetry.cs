using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Paseto.Auth.Application.Common;
using Paseto.Auth.Infrastructure.Telemetry;

namespace Paseto.Auth.Api.Hosting;

/// <summary>
/// OpenTelemetry: traces of requests and database commands, and metrics of ASP.NET Core,
/// Kestrel, the runtime, Npgsql and the service's own meter (<see cref="ServiceMetrics"/>).
/// Nothing is collected unless something takes it: OTLP export when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or a per-signal endpoint) is set, with every other
/// standard <c>OTEL_*</c> variable read by the exporter; the Prometheus scrape endpoint when
/// <c>Metrics:Enabled</c> (<see cref="MetricsServer"/>, on a port of its own). Without either the
/// service runs with no provider at all, so the instrumentation costs nothing.
/// </summary>
internal static class Telemetry
{
    public const string ServiceName = "paseto-auth";

    public static IServiceCollection AddTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var scrape = MetricsServerOptions.From(configuration);
        var sdkDisabled = string.Equals(configuration["OTEL_SDK_DISABLED"], "true", StringComparison.OrdinalIgnoreCase);
        var traces = !sdkDisabled && (IsSet(configuration, "OTEL_EXPORTER_OTLP_ENDPOINT") || IsSet(configuration, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"));
        var otlpMetrics = !sdkDisabled && (IsSet(configuration, "OTEL_EXPORTER_OTLP_ENDPOINT") || IsSet(configuration, "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"));
        if (!traces && !otlpMetrics && !scrape.Enabled)
        {
            return services;
        }

        var telemetry = services.AddOpenTelemetry().ConfigureResource(resource =>
        {
            // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, when set, name the service instead.
            if (!IsSet(configuration, "OTEL_SERVICE_NAME"))
            {
                resource.AddService(ServiceName, serviceVersion: typeof(Telemetry).Assembly.GetName().Version?.ToString());
            }
        });
        if (traces)
        {
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(options =>
                {
                    // A query string may carry a token or an address (a link pasted by hand):
                    // the span keeps the path and the route, never the query.
                    options.EnrichWithHttpRequest = (activity, _) => activity.SetTag("url.query", null);
                    options.Filter = context => !context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase);
                })
                .AddDatabaseInstrumentation()
                .AddOtlpExporter());
        }

        telemetry.WithMetrics(metrics =>
        {
            metrics.AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddDatabaseInstrumentation()
                .AddMeter(ServiceMetrics.MeterName);
            if (otlpMetrics)
            {
                metrics.AddOtlpExporter();
            }

            if (scrape.Enabled)
            {
                // No response cache: the endpoint is private, and a scrape should see the counts of now.
                metrics.AddPrometheusExporter(options => options.ScrapeResponseCacheDurationMilliseconds = 0);
            }
        });
        if (scrape.Enabled)
        {
            services.AddSingleton(scrape);
            services.AddSingleton<MetricsServer>();
            services.AddHostedService(sp => sp.GetRequiredService<MetricsServer>());
        }

        return services;
    }

    private static bool IsSet(IConfiguration configuration, string key) => !string.IsNullOrWhiteSpace(configuration[key]);
}
