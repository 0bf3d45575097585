using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Paseto.Auth.Infrastructure.Email;

namespace Paseto.Auth.Infrastructure.Telemetry;

/// <summary>What Infrastructure adds to the host's OpenTelemetry providers: Npgsql's spans and metrics, and the outbox gauge.</summary>
public static class InfrastructureTelemetry
{
    /// <summary>
    /// A span per database command (Npgsql's ActivitySource). Its attributes are the statement's
    /// text, the database, the user and the server: the text has placeholders (<c>$1</c>), since
    /// every value the service sends is a parameter, and parameter values are never recorded.
    /// </summary>
    public static TracerProviderBuilder AddDatabaseInstrumentation(this TracerProviderBuilder builder) => builder.AddNpgsql();

    /// <summary>Npgsql's pool and command metrics, and the mail outbox's depth.</summary>
    public static MeterProviderBuilder AddDatabaseInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ConfigureServices(services => services.AddSingleton<OutboxDepthGauge>());
        // The gauge registers its instrument when it is made: make it with the meter provider.
        return builder.AddNpgsqlInstrumentation().AddInstrumentation(sp => sp.GetRequiredService<OutboxDepthGauge>());
    }
}
