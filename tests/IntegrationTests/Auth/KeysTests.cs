using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Paseto.Auth.Contracts;
using Paseto.Auth.IntegrationTests.Support;
using Paseto.Auth.Paseto;

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
        var verifier = AccessTokenClaims.Format(
            KeyRing.ForVerification(keys.Select(k => AsymmetricPublicKey.ParsePaserk(k.GetProperty("paserk").GetString()!))),
            new PasetoValidationOptions { Issuer = "paseto-auth", Audience = "paseto-auth" },
            TimeProvider.System);
        Assert.That(verifier.TryDecode(tokens.AccessToken, out var claims, out var error), Is.True, error.ToString());
        Assert.That(claims!.Username, Is.EqualTo("alice"));
        Assert.That((await client.GetAsync("/v1/users/me", tokens.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_public_service_keeps_a_retired_key_as_its_public_half_only()
    {
        var retired = AsymmetricSecretKey.Generate();
        await using var before = Factory.WithWebHostBuilder(b => b
            .UseSetting("Paseto:Purpose", "public")
            .UseSetting("Paseto:Keys:0", retired.ToPaserk()));
        var old = await before.CreateClient().MemberAsync("alice");

        // The rotation's last step: the new secret signs, the retired key's secret is gone.
        await using var after = Factory.WithWebHostBuilder(b => b
            .UseSetting("Paseto:Purpose", "public")
            .UseSetting("Paseto:Keys:0", TestKeys.Secret)
            .UseSetting("Paseto:Keys:1", retired.PublicKey.ToPaserk()));
        using var client = after.CreateClient();
        var currentId = AsymmetricSecretKey.ParsePaserk(TestKeys.Secret).PublicKey.Id;

        Assert.That((await client.GetAsync("/v1/users/me", old.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var keys = (await client.GetFromJsonAsync<JsonElement>("/v1/keys")).GetProperty("keys").EnumerateArray().ToArray();
        Assert.That(keys.Select(k => (k.GetProperty("kid").GetString(), k.GetProperty("status").GetString())),
            Is.EqualTo(new[] { (currentId, "active"), (retired.PublicKey.Id, "verify-only") }));
        var fresh = await client.LoginOkAsync("alice");
        Assert.That(FooterOf(fresh.AccessToken), Does.Contain(currentId));
    }

    /// <summary>The token's footer (its fourth part, base64url without padding) as text.</summary>
    private static string FooterOf(string token) =>
        System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(token.Split('.')[3]));

    [TestCase("public", "verify-only", "k4.public key, which only verifies")]
    [TestCase("public", "mixed", "another purpose than key 0")]
    [TestCase("local", "mixed", "another purpose than key 0")]
    public void A_key_ring_that_cannot_issue_or_mixes_purposes_refuses_to_start(string purpose, string keys, string message)
    {
        var local = SymmetricKey.Generate().ToPaserk();
        var secret = AsymmetricSecretKey.Generate();
        string[] configured = (purpose, keys) switch
        {
            ("public", "verify-only") => [secret.PublicKey.ToPaserk(), TestKeys.Secret],
            ("public", _) => [TestKeys.Secret, local],
            _ => [local, secret.ToPaserk()],
        };
        using var factory = Factory.WithWebHostBuilder(b => b
            .UseSetting("Paseto:Purpose", purpose)
            .UseSetting("Paseto:Keys:0", configured[0])
            .UseSetting("Paseto:Keys:1", configured[1]));

        var error = Assert.Catch(() => factory.CreateClient());

        Assert.That(error!.ToString(), Does.Contain(message).And.Contain("Paseto:Keys"));
        Assert.That(error.ToString(), Does.Not.Contain(local).And.Not.Contain(secret.ToPaserk()).And.Not.Contain(TestKeys.Secret));
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

        Assert.That(FooterOf(tokens.AccessToken), Does.Contain(key.Id));
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
