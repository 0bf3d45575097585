using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using OpenTelemetry.Metrics;
using Paseto.Auth.Infrastructure;

namespace Paseto.Auth.Api.Hosting;

/// <summary>The <c>Metrics:*</c> settings of the Prometheus scrape endpoint.</summary>
internal sealed record MetricsServerOptions(bool Enabled, IPAddress Address, int Port)
{
    public const string Section = "Metrics";
    public const int DefaultPort = 9464;
    public const string Path = "/metrics";

    public static MetricsServerOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var enabled = section.GetValue("Enabled", false);
        var address = section["Address"] is { Length: > 0 } text
            ? IPAddress.TryParse(text, out var parsed) ? parsed : throw new ConfigurationException("Metrics:Address (Metrics__Address) must be an IP address, such as 127.0.0.1 or 0.0.0.0.")
            : IPAddress.Loopback;
        var port = section.GetValue("Port", DefaultPort);
        if (port is < 0 or > 65535)
        {
            throw new ConfigurationException("Metrics:Port (Metrics__Port) must be a port number, 1 to 65535 (0: any free port).");
        }

        return new MetricsServerOptions(enabled, address, port);
    }
}

/// <summary>
/// The Prometheus scrape endpoint, <c>GET /metrics</c>, on a listener of its own
/// (<c>Metrics:Address</c>, 127.0.0.1 by default, and <c>Metrics:Port</c>, 9464), never on the
/// API's: whatever reaches the API (a load balancer, the internet) cannot read the metrics, and
/// the scrape port is opened to the scraper alone. It serves nothing else, and only while
/// <c>Metrics:Enabled</c> is true.
/// </summary>
internal sealed partial class MetricsServer(MetricsServerOptions options, MeterProvider meterProvider, ILoggerFactory loggerFactory, ILogger<MetricsServer> logger) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>The port the endpoint listens on (the one bound when <c>Metrics:Port</c> is 0).</summary>
    public int Port { get; private set; }

    /// <summary>Where to scrape.</summary>
    public string? Url { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddOptions();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(options.Address, options.Port);
        });
        var app = builder.Build();
        app.UseOpenTelemetryPrometheusScrapingEndpoint(meterProvider, predicate: null, path: MetricsServerOptions.Path, configureBranchedPipeline: null, optionsName: null);
        app.Run(context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException ex) when (ex.InnerException is SocketException or null)
        {
            await app.DisposeAsync();
            throw new ConfigurationException(
                $"The metrics endpoint cannot listen on {options.Address}:{options.Port}: set Metrics:Port (Metrics__Port) to a free port, or Metrics:Address (Metrics__Address) to an address of this host.", ex);
        }

        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Port = new Uri(address).Port;
        Url = $"http://{new IPEndPoint(options.Address, Port)}{MetricsServerOptions.Path}";
        LogListening(logger, Url);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
            _app = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Metrics: {Url}")]
    private static partial void LogListening(ILogger logger, string url);
}
