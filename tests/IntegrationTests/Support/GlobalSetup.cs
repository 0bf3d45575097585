using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests;

/// <summary>Starts the database server once for every fixture in this assembly.</summary>
[SetUpFixture]
public sealed class GlobalSetup
{
    [OneTimeSetUp]
    public Task StartDatabaseServer() => TestPostgres.StartAsync();

    [OneTimeTearDown]
    public Task StopDatabaseServer() => TestPostgres.StopAsync();
}
