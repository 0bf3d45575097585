using Paseto.Auth.IntegrationTests.Support;

// The namespace above every test's: one file serves the integration and the system tests alike.
namespace Paseto.Auth;

/// <summary>
/// Starts the database server once for every fixture in this assembly. The databases it makes
/// carry a name of this run's own (<see cref="TestPostgres"/>), so the integration and the
/// system tests may run on one server at the same time.
/// </summary>
[SetUpFixture]
public sealed class GlobalSetup
{
    [OneTimeSetUp]
    public Task StartDatabaseServer() => TestPostgres.StartAsync();

    [OneTimeTearDown]
    public Task StopDatabaseServer() => TestPostgres.StopAsync();
}
