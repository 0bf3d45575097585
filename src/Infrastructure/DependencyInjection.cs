using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Paseto.Auth.Application;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Posts;
using Paseto.Auth.Application.Sessions;
using Paseto.Auth.Contracts;
using Paseto.Auth.Infrastructure.Authentication;
using Paseto.Auth.Infrastructure.Health;
using Paseto.Auth.Infrastructure.Persistence;
using Paseto.Auth.Infrastructure.Persistence.Repositories;
using Paseto.Auth.Infrastructure.Security;
using Paseto.Auth.Infrastructure.Tokens;
using Paseto.Auth.Paseto;

namespace Paseto.Auth.Infrastructure;

public static class DependencyInjection
{
    /// <summary>The tag of the checks that decide readiness.</summary>
    public const string ReadyTag = "ready";


    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddAuthOptions(configuration, environment);
        services.AddSingleton<IValidateOptions<Application.Auth.IntrospectionOptions>, Application.Auth.IntrospectionOptionsValidator>();
        services.AddOptions<Application.Auth.IntrospectionOptions>()
            .Bind(configuration.GetSection(Application.Auth.IntrospectionOptions.Section))
            .ValidateOnStart();
        services.AddPersistence(configuration);
        services.AddTokens(configuration, environment);
        services.AddPasswordHashing(configuration);
        services.AddEmail(configuration);
        services.AddSecondFactor(configuration, environment);
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag]);
        return services;
    }

    private static void AddPersistence(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = DatabaseSettings.RequireConnectionString(configuration);
        services.AddSingleton(_ => DatabaseSettings.CreateDataSource(connectionString));
        services.AddDbContextPool<AuthDbContext>((sp, options) =>
            PersistenceSetup.Configure(options, sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddScoped<CacheInvalidations>();
        services.AddScoped<IUnitOfWork, UnitOfWork>();
        services.AddScoped<IUserRepository, UserRepository>();
        services.AddScoped<ISessionRepository, SessionRepository>();
        services.AddScoped<ISecurityEventRepository, SecurityEventRepository>();
        services.AddScoped<IDeviceRepository, DeviceRepository>();
        services.AddSingleton<ISessionListReader, SessionListReader>();
        services.AddScoped<IPostRepository, PostRepository>();
        services.AddScoped<ISecondFactorRepository, SecondFactorRepository>();
        services.AddScoped<IPasskeyRepository, PasskeyRepository>();
        services.AddSessionCache(configuration, connectionString);
        services.AddSingleton<IThrottle, Throttling.PostgresThrottle>();
        services.AddSingleton<IRequestBudget, Throttling.LeasedRequestBudget>();
        services.AddSingleton<DatabaseFailureLog>();
        services.AddHostedService<DatabaseStartupCheck>();
        services.AddSingleton<RetentionCleanup>();
        services.AddHostedService(sp => sp.GetRequiredService<RetentionCleanup>());
    }

    /// <summary>
    /// The bearer check behind its cache: the listener runs only when the cache is on, on
    /// <c>ConnectionStrings:PostgresListen</c> or else the main connection string.
    /// </summary>
    private static void AddSessionCache(this IServiceCollection services, IConfiguration configuration, string connectionString)
    {
        services.AddSingleton<IValidateOptions<SessionCacheOptions>, SessionCacheOptionsValidator>();
        services.AddOptions<SessionCacheOptions>().Bind(configuration.GetSection(SessionCacheOptions.Section)).ValidateOnStart();
        services.AddSingleton<SessionCache>();
        services.AddSingleton<ISessionReader, SessionReader>();
        services.AddSingleton<ISessionAuthenticator, SessionAuthenticator>();
        var listen = configuration.GetConnectionString(SessionCacheOptions.ListenConnectionStringName);
        services.AddSingleton(sp => new SessionCacheListener(
            sp.GetRequiredService<SessionCache>(),
            sp.GetRequiredService<IOptions<SessionCacheOptions>>(),
            string.IsNullOrWhiteSpace(listen) ? connectionString : listen,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SessionCacheListener>>()));
        services.AddHostedService(sp => sp.GetRequiredService<SessionCacheListener>());
    }

    private static void AddEmail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IValidateOptions<Email.EmailOptions>, Email.EmailOptionsValidator>();
        services.AddOptions<Email.EmailOptions>().Bind(configuration.GetSection(Email.EmailOptions.Section)).ValidateOnStart();
        services.AddScoped<IMailOutbox, Email.MailOutbox>();
        services.AddScoped<IEmailTokenRepository, EmailTokenRepository>();
        services.AddHostedService<Email.OutboxSender>();
    }

    private static void AddSecondFactor(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddSingleton<ITotp, Rfc6238Totp>();
        services.AddSingleton(sp => FactorSecretSealer.Create(
            configuration, environment, sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(FactorSecretSealer))));
        services.AddSingleton<IFactorSecretSealer>(sp => sp.GetRequiredService<FactorSecretSealer>());
        services.AddSingleton<IPasskeyCeremonies, Passkeys.Fido2Ceremonies>();
    }

    private static void AddAuthOptions(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        // In this order: the lines of a "Configuration error" report follow it.
        services.AddSingleton<IValidateOptions<AuthOptions>, ThrottlingOptionsValidator>();
        services.AddSingleton<IValidateOptions<AuthOptions>, Application.Email.EmailFlowOptionsValidator>();
        services.AddSingleton<IValidateOptions<AuthOptions>, Application.SecondFactor.MfaOptionsValidator>();
        services.AddSingleton<IValidateOptions<AuthOptions>, Application.Passkeys.PasskeyOptionsValidator>();
        services.AddSingleton<IValidateOptions<AuthOptions>>(new AuthOptionsValidator(signupSecretRequired: environment.IsProduction()));
        services.AddOptions<AuthOptions>()
            .Bind(configuration.GetSection(AuthOptions.Section))
            .PostConfigure(options =>
            {
                // The demo's environment names.
                if (configuration["ACCESS_TOKEN_EXPIRE_MINUTES"] is { Length: > 0 } minutes)
                {
                    options.AccessTokenLifetime = double.TryParse(minutes, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && Math.Abs(value) < TimeSpan.MaxValue.TotalMinutes
                        ? TimeSpan.FromMinutes(value)
                        : throw new ConfigurationException("ACCESS_TOKEN_EXPIRE_MINUTES must be a number of minutes, such as 15.");
                }

                if (configuration["REFERER_SECRET"] is { Length: > 0 } secret)
                {
                    options.RefererSecret = secret;
                }

                Passkeys.PasskeyDefaults.Apply(options.Passkeys, configuration);
            })
            .ValidateOnStart();
    }

    private static void AddTokens(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<PasetoOptions>().Bind(configuration.GetSection(PasetoOptions.Section));
        services.AddSingleton(sp => KeyRingFactory.Create(
            configuration,
            sp.GetRequiredService<IOptions<PasetoOptions>>().Value,
            environment,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(KeyRingFactory))));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<PasetoOptions>>().Value;
            return AccessTokenClaims.Format(
                sp.GetRequiredService<KeyRing>(),
                new PasetoValidationOptions { Issuer = options.Issuer, Audience = options.Audience },
                sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<ITokenService>(sp =>
        {
            // The session cache's switch turns every per-process memory of the bearer check off.
            var cache = sp.GetRequiredService<IOptions<SessionCacheOptions>>().Value;
            return new PasetoTokenService(
                sp.GetRequiredService<PasetoTokenFormat<AccessTokenClaims>>(),
                sp.GetRequiredService<IOptions<PasetoOptions>>().Value,
                sp.GetRequiredService<IOptions<AuthOptions>>().Value,
                cache.Enabled ? new VerifiedTokenCache(cache.MaxEntries, sp.GetRequiredService<TimeProvider>()) : null);
        });
    }
}
