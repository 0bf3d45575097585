using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Paseto.Auth.IntegrationTests.Support;

/// <summary>The real host, on a database of its own, with settings a test may override.</summary>
public sealed class ApiFactory(string connectionString, IReadOnlyDictionary<string, string?>? settings = null)
    : WebApplicationFactory<Program>
{
    public string ConnectionString { get; } = connectionString;

    /// <summary>The loopback port of a host started <see cref="OnSocket"/>.</summary>
    public int Port { get; private set; }

    /// <summary>
    /// The host on a real Kestrel socket (a free loopback port) instead of the in-memory server,
    /// for bytes only a socket carries: send them with <see cref="RawHttp"/> to <see cref="Port"/>.
    /// </summary>
    /// <param name="port">A fixed port, for a host restarted where its clients expect it; 0 for any free one.</param>
    public static ApiFactory OnSocket(string connectionString, IReadOnlyDictionary<string, string?>? settings = null, int port = 0)
    {
        var factory = new ApiFactory(connectionString, settings);
        factory.UseKestrel(port);
        factory.StartServer();
        using var client = factory.CreateClient();
        factory.Port = client.BaseAddress!.Port;
        return factory;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Postgres", ConnectionString);
        builder.UseSetting("Auth:RefererSecret", ApiClientExtensions.RefererSecret);
        builder.UseSetting("Paseto:Keys:0", TestKeys.Local);
        builder.UseSetting("Auth:Mfa:Keys:0", TestKeys.Mfa);
        // No role needs a second factor here: the tests of admin endpoints that are not about the
        // factor log their admins in with a password. The second-factor tests (Mfa/) set it back.
        builder.UseSetting("Auth:Mfa:RequiredForRoles:0", "");
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, TestClientAddress>());
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
    }
}
