using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Paseto.Auth.IntegrationTests.Support;
using Paseto.Auth.Paseto;

namespace Paseto.Auth.IntegrationTests.Mfa;

/// <summary>The secret at rest: sealed under <c>Auth:Mfa:Keys</c>, rotatable.</summary>
public sealed class MfaStorageTests : MfaTestBase
{
    [Test]
    public async Task The_database_holds_no_secret_and_a_rotated_key_still_opens_and_reseals_it()
    {
        var alice = await EnrolledAsync("alice");
        var stored = await ScalarAsync<byte[]>("SELECT secret_ciphertext FROM paseto_auth.totp_factors");
        var oldKey = SymmetricKey.ParsePaserk(TestKeys.Mfa);
        Assert.Multiple(async () =>
        {
            Assert.That(Convert.ToHexString(stored!), Does.Not.Contain(Convert.ToHexString(alice.App.Secret)));
            Assert.That(await ScalarAsync<string>("SELECT key_id FROM paseto_auth.totp_factors"), Is.EqualTo(oldKey.Id));
        });

        // A rotation: a new key 0, the old one kept as key 1.
        var newKey = SymmetricKey.Generate();
        await using (var rotated = Factory.WithWebHostBuilder(b => b
            .UseSetting("Auth:Mfa:Keys:0", newKey.ToPaserk())
            .UseSetting("Auth:Mfa:Keys:1", TestKeys.Mfa)
            .ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Clock))))
        {
            using var client = rotated.CreateClient();
            var login = await client.LoginAsync("alice");
            var token = (await login.AssertProblemAsync(HttpStatusCode.Forbidden)).GetProperty("mfa_token").GetString()!;
            Clock.NextStep();
            var finished = await client.PostAsJsonAsync("/v1/login/mfa", new { mfa_token = token, code = alice.App.CodeAt(Clock.GetUtcNow()) });
            Assert.That(finished.StatusCode, Is.EqualTo(HttpStatusCode.OK), await finished.Content.ReadAsStringAsync());
        }

        Assert.Multiple(async () =>
        {
            Assert.That(await ScalarAsync<string>("SELECT key_id FROM paseto_auth.totp_factors"), Is.EqualTo(newKey.Id), "resealed on use");
            Assert.That(await ScalarAsync<byte[]>("SELECT secret_ciphertext FROM paseto_auth.totp_factors"), Is.Not.EqualTo(stored));
        });

        // The old key can go now.
        await using var newOnly = Factory.WithWebHostBuilder(b => b
            .UseSetting("Auth:Mfa:Keys:0", newKey.ToPaserk())
            .ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Clock)));
        using var newClient = newOnly.CreateClient();
        var again = (await (await newClient.LoginAsync("alice")).AssertProblemAsync(HttpStatusCode.Forbidden)).GetProperty("mfa_token").GetString()!;
        Clock.NextStep();
        var ok = await newClient.PostAsJsonAsync("/v1/login/mfa", new { mfa_token = again, code = alice.App.CodeAt(Clock.GetUtcNow()) });
        Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK), await ok.Content.ReadAsStringAsync());
    }
}
