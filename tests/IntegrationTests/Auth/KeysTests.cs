using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Paseto.Auth.Infrastructure.Tokens.Paseto;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Auth;

public sealed class KeysTests : ApiTestBase
{
    [Test]
    public async Task A_local_service_publishes_no_keys()
    {
        var body = await Client.GetFromJsonAsync<JsonElement>("/v1/keys");

        Assert.That(body.GetProperty("keys").GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task A_public_service_publishes_its_keys_and_others_verify_its_tokens_offline()
    {
        var older = AsymmetricSecretKey.Generate();
        await using var factory = Factory.WithWebHostBuilder(b => b
            .UseSetting("Paseto:Purpose", "public")
            .UseSetting("Paseto:Keys:0", TestKeys.Secret)
            .UseSetting("Paseto:Keys:1", older.ToPaserk()));
        using var client = factory.CreateClient();
        var tokens = await client.MemberAsync("alice");

        var body = await client.GetFromJsonAsync<JsonElement>("/v1/keys");

        var keys = body.GetProperty("keys").EnumerateArray().ToArray();
        Assert.That(keys, Has.Length.EqualTo(2));
        Assert.Multiple(() =>
        {
            Assert.That(keys[0].GetProperty("kid").GetString(), Does.StartWith("k4.pid."));
            Assert.That(keys[0].GetProperty("paserk").GetString(), Does.StartWith("k4.public."));
            Assert.That(keys[0].GetProperty("status").GetString(), Is.EqualTo("active"));
            Assert.That(keys[1].GetProperty("status").GetString(), Is.EqualTo("verify-only"));
            Assert.That(keys[1].GetProperty("kid").GetString(), Is.EqualTo(older.PublicKey.Id));
            Assert.That(body.ToString(), Does.Not.Contain("k4.secret"));
        });
        Assert.That(tokens.AccessToken, Does.StartWith("v4.public."));

        // A relying party with only the published keys verifies the token.
        var verifier = new PasetoTokenFormat(
            KeyRing.ForVerification(keys.Select(k => AsymmetricPublicKey.ParsePaserk(k.GetProperty("paserk").GetString()!))),
            new PasetoValidationOptions { Issuer = "paseto-auth", Audience = "paseto-auth" },
            TimeProvider.System);
        Assert.That(verifier.TryDecode(tokens.AccessToken, out var claims, out var error), Is.True, error.ToString());
        Assert.That(claims!.Username, Is.EqualTo("alice"));
        Assert.That((await client.GetAsync("/v1/users/me", tokens.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Tokens_made_with_an_older_key_still_verify_after_a_new_key_is_added()
    {
        var tokens = await Client.MemberAsync("alice");
        var newer = SymmetricKey.Generate().ToPaserk();
        await using var rotated = Factory.WithWebHostBuilder(b => b
            .UseSetting("Paseto:Keys:0", newer)
            .UseSetting("Paseto:Keys:1", TestKeys.Local));
        using var client = rotated.CreateClient();

        var old = await client.GetAsync("/v1/users/me", tokens.AccessToken);
        var fresh = await client.LoginOkAsync("alice");

        Assert.That(old.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await Client.GetAsync("/v1/users/me", fresh.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized),
            "the host without the new key must not accept its tokens");
    }

    [Test]
    public async Task The_demo_secret_key_variable_is_key_zero()
    {
        var key = SymmetricKey.Generate();
        await using var factory = Factory.WithWebHostBuilder(b => b.UseSetting("SECRET_KEY", key.ToPaserk()));
        using var client = factory.CreateClient();

        var tokens = await client.MemberAsync("alice");

        var footer = tokens.AccessToken.Split('.')[3];
        Assert.That(System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(footer.PadRight(footer.Length + ((4 - (footer.Length % 4)) % 4), '='))),
            Does.Contain(key.Id));
    }

    [Test]
    public void Production_without_keys_refuses_to_start_and_names_the_setting()
    {
        using var factory = Factory.WithWebHostBuilder(b => b
            .UseEnvironment("Production")
            .UseSetting("Paseto:Keys:0", ""));

        var error = Assert.Catch(() => factory.CreateClient());

        Assert.That(error!.ToString(), Does.Contain("Paseto:Keys").And.Contain("SECRET_KEY"));
    }

    [Test]
    public void A_key_of_the_wrong_purpose_refuses_to_start()
    {
        using var factory = Factory.WithWebHostBuilder(b => b.UseSetting("Paseto:Keys:0", TestKeys.Secret));

        var error = Assert.Catch(() => factory.CreateClient());

        Assert.That(error!.ToString(), Does.Contain("not a valid k4.local"));
        Assert.That(error.ToString(), Does.Not.Contain(TestKeys.Secret));
    }
}
