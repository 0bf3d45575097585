using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Passkeys;

public sealed class PasskeyRegistrationTests : PasskeyTestBase
{
    [Test]
    public async Task Creation_options_follow_WebAuthn_level_3_json()
    {
        var tokens = await Client.MemberAsync("alice");
        var ceremony = await CreationOptionsAsync(tokens.AccessToken);
        var options = ceremony.GetProperty("options");
        Assert.Multiple(() =>
        {
            Assert.That(ceremony.GetProperty("challenge_id").GetGuid(), Is.Not.EqualTo(Guid.Empty));
            Assert.That(options.GetProperty("rp").GetProperty("id").GetString(), Is.EqualTo("localhost"));
            Assert.That(options.GetProperty("user").GetProperty("name").GetString(), Is.EqualTo("alice"));
            Assert.That(System.Buffers.Text.Base64Url.DecodeFromChars(options.GetProperty("challenge").GetString()), Has.Length.EqualTo(32));
            Assert.That(options.GetProperty("authenticatorSelection").GetProperty("residentKey").GetString(), Is.EqualTo("preferred"));
            Assert.That(options.GetProperty("authenticatorSelection").GetProperty("userVerification").GetString(), Is.EqualTo("required"));
            Assert.That(options.GetProperty("attestation").GetString(), Is.EqualTo("none"));
            Assert.That(options.GetProperty("pubKeyCredParams").EnumerateArray().Select(p => p.GetProperty("alg").GetInt32()), Does.Contain(-7));
        });
    }

    [Test]
    public async Task User_handle_is_random_32_bytes_not_the_user_id_and_stays_the_same()
    {
        var tokens = await Client.MemberAsync("alice");
        var first = System.Buffers.Text.Base64Url.DecodeFromChars((await CreationOptionsAsync(tokens.AccessToken)).GetProperty("options").GetProperty("user").GetProperty("id").GetString());
        var second = System.Buffers.Text.Base64Url.DecodeFromChars((await CreationOptionsAsync(tokens.AccessToken)).GetProperty("options").GetProperty("user").GetProperty("id").GetString());
        var stored = await ScalarAsync<byte[]>("SELECT passkey_user_handle FROM paseto_auth.users WHERE username = 'alice'");
        var bob = await Client.MemberAsync("bob");
        var other = System.Buffers.Text.Base64Url.DecodeFromChars((await CreationOptionsAsync(bob.AccessToken)).GetProperty("options").GetProperty("user").GetProperty("id").GetString());
        Assert.Multiple(() =>
        {
            Assert.That(first, Has.Length.EqualTo(32));
            Assert.That(second, Is.EqualTo(first));
            Assert.That(stored, Is.EqualTo(first));
            // Users 1 and 2: neighbouring ids, unrelated handles.
            Assert.That(other, Has.Length.EqualTo(32).And.Not.EqualTo(first));
            Assert.That(first.Count(b => b == 0), Is.LessThan(8), "not a small integer padded with zeroes");
        });
    }

    [Test]
    public async Task Register_then_list_shows_the_passkey_and_the_first_issues_recovery_codes()
    {
        var tokens = await Client.MemberAsync("alice");
        var added = await RegisterAsync(tokens.AccessToken, new SoftwareAuthenticator(), "Laptop");
        Assert.Multiple(() =>
        {
            Assert.That(added.GetProperty("name").GetString(), Is.EqualTo("Laptop"));
            Assert.That(added.GetProperty("last_used_at").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(added.GetProperty("recovery_codes").GetArrayLength(), Is.EqualTo(10));
        });

        var second = await RegisterAsync(tokens.AccessToken, new SoftwareAuthenticator(), optionsBody: new { password = ApiClientExtensions.Password, recovery_code = added.GetProperty("recovery_codes")[0].GetString() });
        Assert.That(second.TryGetProperty("recovery_codes", out var codes) && codes.ValueKind != JsonValueKind.Null, Is.False, "only the first factor issues recovery codes");

        var list = await Client.GetAsync("/v1/users/me/passkeys", tokens.AccessToken);
        Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var items = (await list.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items");
        Assert.Multiple(() =>
        {
            Assert.That(items.EnumerateArray().Select(i => i.GetProperty("id").GetGuid()), Is.EqualTo(new[] { added.GetProperty("id").GetGuid(), second.GetProperty("id").GetGuid() }));
            Assert.That(items[1].GetProperty("name").GetString(), Is.EqualTo("Passkey"));
            Assert.That(items[0].TryGetProperty("public_key", out _) || items[0].TryGetProperty("credential_id", out _), Is.False);
        });

        var profile = await (await Client.GetAsync("/v1/users/me", tokens.AccessToken)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(profile.GetProperty("mfa_enabled").GetBoolean(), Is.True);
    }

    [Test]
    public async Task Parallel_first_passkeys_issue_one_set_of_recovery_codes()
    {
        var tokens = await Client.MemberAsync("alice");
        var ceremonies = new[] { await CreationOptionsAsync(tokens.AccessToken), await CreationOptionsAsync(tokens.AccessToken) };
        var answers = await Task.WhenAll(ceremonies.Select(c => AddAsync(tokens.AccessToken, c, new SoftwareAuthenticator().Create(c.GetProperty("options")))));
        Assert.That(answers.Select(a => a.StatusCode), Is.All.EqualTo(HttpStatusCode.Created));

        // Only one of them is the account's first factor: a second set would kill the codes the first answer showed.
        var bodies = await Task.WhenAll(answers.Select(a => a.Content.ReadFromJsonAsync<JsonElement>()));
        var shown = bodies.Where(b => b.TryGetProperty("recovery_codes", out var codes) && codes.ValueKind == JsonValueKind.Array).ToList();
        Assert.That(shown, Has.Count.EqualTo(1));
        Assert.Multiple(async () =>
        {
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.recovery_codes"), Is.EqualTo(10));
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.security_events WHERE type = 'mfa_enabled'"), Is.EqualTo(1));
        });
        var used = await Client.SendAsync(HttpMethod.Delete, $"/v1/users/me/passkeys/{bodies[0].GetProperty("id").GetGuid()}", tokens.AccessToken,
            new { recovery_code = shown[0].GetProperty("recovery_codes")[0].GetString() });
        Assert.That(used.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), "the codes shown are the ones that work");
    }

    [Test]
    public async Task Parallel_first_creation_options_agree_on_one_user_handle()
    {
        var tokens = await Client.MemberAsync("alice");
        var ceremonies = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => CreationOptionsAsync(tokens.AccessToken)));

        // A handle the account does not keep would make that ceremony's passkey refuse every sign-in.
        var stored = await ScalarAsync<byte[]>("SELECT passkey_user_handle FROM paseto_auth.users WHERE username = 'alice'");
        var handles = ceremonies.Select(c => System.Buffers.Text.Base64Url.DecodeFromChars(c.GetProperty("options").GetProperty("user").GetProperty("id").GetString()));
        Assert.That(handles, Has.All.EqualTo(stored));
    }
}
