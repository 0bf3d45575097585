using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Infrastructure.Health;
using Paseto.Auth.Infrastructure.Persistence;
using Paseto.Auth.Infrastructure.Persistence.Repositories;

namespace Paseto.Auth.Infrastructure;

public static class DependencyInjection
{
    /// <summary>The tag of the checks that decide readiness.</summary>
    public const string ReadyTag = "ready";

    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = DatabaseSettings.FindConnectionString(configuration)
            ?? throw new InvalidOperationException(
                "No database is configured: set ConnectionStrings:Postgres (ConnectionStrings__Postgres) or DATABASE_URL.");

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString).Build());
        services.AddDbContextPool<AuthDbContext>((sp, options) =>
            PersistenceSetup.Configure(options, sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddScoped<IUnitOfWork, UnitOfWork>();
        services.AddScoped<IUserRepository, UserRepository>();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag]);
        return services;
    }
}
