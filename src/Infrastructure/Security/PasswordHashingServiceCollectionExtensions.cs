using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Paseto.Auth.Application.Abstractions;

namespace Paseto.Auth.Infrastructure.Security;

public static class PasswordHashingServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IPasswordHasher"/> (Argon2id) as a singleton, bound to <c>Auth:Passwords</c>
    /// and validated when the host starts.
    /// </summary>
    /// <remarks>A singleton because its semaphore is the process-wide bound on concurrent hashes.</remarks>
    public static IServiceCollection AddPasswordHashing(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<PasswordHashingOptions>()
            .Bind(configuration.GetSection(PasswordHashingOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<PasswordHashingOptions>, PasswordHashingOptionsValidator>());
        services.TryAddSingleton<IPasswordHasher>(
            sp => Argon2idPasswordHasher.Create(sp.GetRequiredService<IOptions<PasswordHashingOptions>>().Value));
        services.TryAddSingleton<IPasswordBlocklist>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<PasswordHashingOptions>>().Value;
            return new CommonPasswordBlocklist(string.IsNullOrWhiteSpace(options.BlocklistFile)
                ? null
                : OperatorPasswordList.Load(options.BlocklistFile, options.BlocklistMaxBytes));
        });
        return services;
    }
}
