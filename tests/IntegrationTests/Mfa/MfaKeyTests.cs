using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Paseto.Auth.IntegrationTests.Support;
using Paseto.Auth.Paseto;

namespace Paseto.Auth.IntegrationTests.Mfa;

/// <summary>The second-factor key at start-up: Production needs one, other environments keep theirs on disk.</summary>
public sealed class MfaKeyTests : ApiTestBase
{
    [Test]
    public void Production_without_the_key_refuses_to_start_and_names_the_setting()
    {
        using var factory = Factory.WithWebHostBuilder(b => b.UseEnvironment("Production").UseSetting("Auth:Mfa:Keys:0", ""));
        var error = Assert.Catch(() => factory.CreateClient());
        Assert.That(error!.ToString(), Does.Contain("Auth__Mfa__Keys__0").And.Contain("generate-keys --purpose local"));
    }

    [Test]
    public void A_key_that_is_no_k4_local_refuses_to_start_without_showing_it()
    {
        var wrong = AsymmetricSecretKey.Generate().ToPaserk();
        using var factory = Factory.WithWebHostBuilder(b => b.UseSetting("Auth:Mfa:Keys:1", wrong));
        var error = Assert.Catch(() => factory.CreateClient());
        Assert.That(error!.ToString(), Does.Contain("Auth:Mfa:Keys:1 (Auth__Mfa__Keys__1) is not a valid k4.local").And.Not.Contain(wrong));
    }

    [Test]
    public async Task Without_a_key_outside_Production_a_generated_one_is_kept_on_disk_for_the_next_start()
    {
        var folder = Directory.CreateTempSubdirectory("mfa-key-");
        var file = Path.Combine(folder.FullName, "keys", "mfa-key.paserk");
        try
        {
            string secret;
            await using (var first = Factory.WithWebHostBuilder(b => b.UseSetting("Auth:Mfa:Keys:0", "").UseSetting("Auth:Mfa:DevelopmentKeyFile", file)))
            {
                using var client = first.CreateClient();
                var tokens = await client.MemberAsync("alice");
                var enrolled = await client.SendAsync(HttpMethod.Post, "/v1/users/me/mfa/totp", tokens.AccessToken, new { password = ApiClientExtensions.Password });
                secret = (await enrolled.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("secret").GetString()!;
                Assert.That(secret, Is.Not.Empty);
            }

            Assert.That(SymmetricKey.TryParsePaserk(await File.ReadAllTextAsync(file), out var kept), Is.True);
            Assert.Multiple(async () =>
            {
                if (!OperatingSystem.IsWindows())
                {
                    Assert.That(File.GetUnixFileMode(file), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite), "readable by its owner only");
                }

                Assert.That(await ScalarAsync<string>("SELECT key_id FROM paseto_auth.totp_factors"), Is.EqualTo(kept!.Id));
            });

            // The next start opens what the first sealed: the pending factor confirms with the app's code.
            await using var second = Factory.WithWebHostBuilder(b => b.UseSetting("Auth:Mfa:Keys:0", "").UseSetting("Auth:Mfa:DevelopmentKeyFile", file));
            using var again = second.CreateClient();
            var session = await again.LoginOkAsync("alice");
            var confirmed = await again.SendAsync(HttpMethod.Post, "/v1/users/me/mfa/totp/confirm", session.AccessToken,
                new { code = new Authenticator(secret).CodeAt(DateTimeOffset.UtcNow) });
            Assert.That(confirmed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await confirmed.Content.ReadAsStringAsync());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
