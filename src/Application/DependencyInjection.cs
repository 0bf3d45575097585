using FluentValidation;
using Microsoft.Extensions.DependencyInjection;

namespace Paseto.Auth.Application;

public static class DependencyInjection
{
    /// <summary>Registers the validators; the mediator itself is generated and added by the host.</summary>
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        // One message per field: the first rule it breaks (no "too short" and "too common" at once).
        ValidatorOptions.Global.DefaultRuleLevelCascadeMode = CascadeMode.Stop;
        services.AddValidatorsFromAssembly(typeof(DependencyInjection).Assembly, ServiceLifetime.Singleton, includeInternalTypes: true);
        services.AddScoped<Sessions.SessionIssuer>();
        services.AddScoped<Users.PasswordGuard>();
        services.AddScoped<SecondFactor.SecondFactorCheck>();
        services.AddScoped<SecondFactor.LastFactorRule>();
        services.AddScoped<Auth.LoginCompletion>();
        services.AddScoped<Auth.MfaChallenges>();
        services.AddScoped<Passkeys.PasskeyChallenges>();
        services.AddScoped<Passkeys.PasskeyVerifier>();
        services.AddScoped<Email.AccountMail>();
        services.AddScoped<Email.EmailChangeRequest>();
        services.AddScoped<Email.SignInMail>();
        return services;
    }
}
