using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Passkeys;

/// <summary>What an attacker (or a phishing page) sends instead of a real ceremony: each is refused with its problem and changes nothing.</summary>
public sealed class PasskeyRefusalTests : PasskeyTestBase
{
    [Test]
    public async Task Registration_from_another_origin_is_refused_and_stores_nothing()
    {
        var tokens = await Client.MemberAsync("alice");
        var options = await CreationOptionsAsync(tokens.AccessToken);
        var response = await AddAsync(tokens.AccessToken, options, new SoftwareAuthenticator().Create(options.GetProperty("options"), new Ceremony { Origin = "https://paseto-auth.example.evil" }));
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("type").GetString(), Is.EqualTo("/problems/passkey-origin-mismatch"));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.passkeys"), Is.Zero);
        Assert.That(await ScalarAsync<bool>("SELECT mfa_enabled FROM paseto_auth.users"), Is.False);
    }

    [Test]
    public async Task Registration_for_another_relying_party_id_is_refused()
    {
        var tokens = await Client.MemberAsync("alice");
        var options = await CreationOptionsAsync(tokens.AccessToken);
        var response = await AddAsync(tokens.AccessToken, options, new SoftwareAuthenticator().Create(options.GetProperty("options"), new Ceremony { RpId = "evil.example" }));
        Assert.That((await response.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("type").GetString(), Is.EqualTo("/problems/passkey-origin-mismatch"));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.passkeys"), Is.Zero);
    }

    [Test]
    public async Task Registration_without_user_verification_is_refused()
    {
        var tokens = await Client.MemberAsync("alice");
        var options = await CreationOptionsAsync(tokens.AccessToken);
        var response = await AddAsync(tokens.AccessToken, options, new SoftwareAuthenticator().Create(options.GetProperty("options"), new Ceremony { UserVerified = false }));
        Assert.That((await response.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("type").GetString(), Is.EqualTo("/problems/passkey-refused"));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.passkeys"), Is.Zero);
    }

    [Test]
    public async Task Registration_challenge_of_another_user_is_refused_and_stays_theirs()
    {
        var alice = await Client.MemberAsync("alice");
        var bob = await Client.MemberAsync("bob");
        var options = await CreationOptionsAsync(alice.AccessToken);
        var authenticator = new SoftwareAuthenticator();
        var credential = authenticator.Create(options.GetProperty("options"));
        var stolen = await AddAsync(bob.AccessToken, options, credential);
        Assert.That((await stolen.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("type").GetString(), Is.EqualTo("/problems/passkey-challenge-invalid"));

        var own = await AddAsync(alice.AccessToken, options, credential);
        Assert.That(own.StatusCode, Is.EqualTo(HttpStatusCode.Created), await own.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Login_challenge_cannot_finish_a_registration_nor_a_registration_challenge_a_login()
    {
        var tokens = await Client.MemberAsync("alice");
        var login = await LoginOptionsAsync();
        var registration = await CreationOptionsAsync(tokens.AccessToken);
        var authenticator = new SoftwareAuthenticator();
        var asRegistration = await AddAsync(tokens.AccessToken, login, authenticator.Create(registration.GetProperty("options")));
        Assert.That((await asRegistration.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("type").GetString(), Is.EqualTo("/problems/passkey-challenge-invalid"));

        var added = await AddAsync(tokens.AccessToken, registration, authenticator.Create(registration.GetProperty("options")));
        Assert.That(added.StatusCode, Is.EqualTo(HttpStatusCode.Created), await added.Content.ReadAsStringAsync());
        var registrationAgain = await CreationOptionsAsync(tokens.AccessToken, new { password = ApiClientExtensions.Password, recovery_code = (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("recovery_codes")[0].GetString() });
        var asLogin = await LoginAsync(registrationAgain, authenticator.Get(login.GetProperty("options")));
        Assert.That((await asLogin.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("type").GetString(), Is.EqualTo("/problems/passkey-challenge-invalid"));
    }

    [Test]
    public async Task Expired_challenge_is_refused()
    {
        var (_, authenticator, _) = await MemberWithPasskeyAsync("alice");
        var options = await LoginOptionsAsync();
        await ScalarAsync<int>("UPDATE paseto_auth.passkey_challenges SET expires_at = now() - interval '1 second'");
        var response = await LoginAsync(options, authenticator.Get(options.GetProperty("options")));
        Assert.That((await response.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("type").GetString(), Is.EqualTo("/problems/passkey-challenge-invalid"));
    }

    [Test]
    public async Task Assertion_from_another_origin_or_for_another_relying_party_does_not_sign_in()
    {
        var (_, authenticator, _) = await MemberWithPasskeyAsync("alice");
        var phished = await LoginOptionsAsync();
        var fromPhishingPage = await LoginAsync(phished, authenticator.Get(phished.GetProperty("options"), ceremony: new Ceremony { Origin = "https://login-paseto-auth.example" }));
        Assert.That((await fromPhishingPage.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("type").GetString(), Is.EqualTo("/problems/passkey-origin-mismatch"));

        var other = await LoginOptionsAsync();
        var otherRp = await LoginAsync(other, authenticator.Get(other.GetProperty("options"), ceremony: new Ceremony { RpId = "example.org" }));
        Assert.That((await otherRp.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("type").GetString(), Is.EqualTo("/problems/passkey-origin-mismatch"));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.sessions WHERE 'passkey' = ANY(auth_methods)"), Is.Zero);
    }

    [Test]
    public async Task Assertion_without_user_verification_is_refused()
    {
        var (_, authenticator, _) = await MemberWithPasskeyAsync("alice");
        var options = await LoginOptionsAsync();
        var response = await LoginAsync(options, authenticator.Get(options.GetProperty("options"), ceremony: new Ceremony { UserVerified = false }));
        Assert.That((await response.AssertProblemAsync(HttpStatusCode.Unauthorized)).GetProperty("type").GetString(), Is.EqualTo("/problems/passkey-refused"));
    }

    [Test]
    public async Task Unknown_credential_is_refused_as_any_bad_assertion()
    {
        await MemberWithPasskeyAsync("alice");
        var stranger = new SoftwareAuthenticator();
        var tokens = await Client.MemberAsync("mallory");
        await RegisterAsync(tokens.AccessToken, stranger);
        await ScalarAsync<int>("DELETE FROM paseto_auth.passkeys WHERE user_id = 2");
        var options = await LoginOptionsAsync();
        var response = await LoginAsync(options, stranger.Get(options.GetProperty("options")));
        Assert.That((await response.AssertProblemAsync(HttpStatusCode.Unauthorized)).GetProperty("type").GetString(), Is.EqualTo("/problems/passkey-refused"));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.security_events WHERE type = 'login_failed' AND details->>'reason' = 'unknown_passkey'"), Is.EqualTo(1));
    }

    [Test]
    public async Task Counter_that_goes_backwards_is_refused_recorded_and_mailed()
    {
        var (_, authenticator, _) = await MemberWithPasskeyAsync("alice");
        await LoginOkAsync(authenticator);
        await LoginOkAsync(authenticator);
        var options = await LoginOptionsAsync();
        var response = await LoginAsync(options, authenticator.Get(options.GetProperty("options"), ceremony: new Ceremony { Counter = 1 }));
        Assert.That((await response.AssertProblemAsync(HttpStatusCode.Unauthorized)).GetProperty("type").GetString(), Is.EqualTo("/problems/passkey-counter-regressed"));
        Assert.Multiple(async () =>
        {
            Assert.That(await ScalarAsync<string>("SELECT details::text FROM paseto_auth.security_events WHERE type = 'passkey_counter_regressed'"), Does.Contain("\"stored\": 2").And.Contain("\"presented\": 1"));
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.mail_outbox WHERE kind = 'passkey_counter_regressed'"), Is.EqualTo(1));
            Assert.That(await ScalarAsync<long>("SELECT sign_count FROM paseto_auth.passkeys"), Is.EqualTo(2));
        });

        var same = await LoginOptionsAsync();
        var equal = await LoginAsync(same, authenticator.Get(same.GetProperty("options"), ceremony: new Ceremony { Counter = 2 }));
        Assert.That((await equal.AssertProblemAsync(HttpStatusCode.Unauthorized)).GetProperty("type").GetString(), Is.EqualTo("/problems/passkey-counter-regressed"), "equal is not above");
    }

    [Test]
    public async Task Synced_passkey_with_counter_zero_signs_in_every_time()
    {
        var tokens = await Client.MemberAsync("alice");
        var authenticator = new SoftwareAuthenticator();
        await RegisterAsync(tokens.AccessToken, authenticator, ceremony: new Ceremony { Synced = true });
        await LoginOkAsync(authenticator);
        await LoginOkAsync(authenticator);
        Assert.That(await ScalarAsync<long>("SELECT sign_count FROM paseto_auth.passkeys"), Is.Zero);
        Assert.That(await ScalarAsync<bool>("SELECT backed_up AND backup_eligible FROM paseto_auth.passkeys"), Is.True);
    }

    [Test]
    public async Task Another_users_passkey_does_not_finish_their_password_login_nor_answer_their_username()
    {
        var (_, alice, _) = await MemberWithPasskeyAsync("alice");
        var (_, bob, _) = await MemberWithPasskeyAsync("bob");
        var password = await Client.LoginAsync("alice");
        var mfaToken = (await password.AssertProblemAsync(HttpStatusCode.Forbidden)).GetProperty("mfa_token").GetString();

        var mfaOptions = await LoginOptionsAsync(new { mfa_token = mfaToken });
        var withBobs = await LoginAsync(mfaOptions, bob.Get(mfaOptions.GetProperty("options")));
        Assert.That((await withBobs.AssertProblemAsync(HttpStatusCode.Unauthorized)).GetProperty("type").GetString(), Is.EqualTo("/problems/passkey-refused"));

        var aliceOptions = await LoginOptionsAsync(new { username = "alice" });
        var bobOnAlices = await LoginAsync(aliceOptions, bob.Get(aliceOptions.GetProperty("options")));
        Assert.That((await bobOnAlices.AssertProblemAsync(HttpStatusCode.Unauthorized)).GetProperty("type").GetString(), Is.EqualTo("/problems/passkey-refused"));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.sessions WHERE 'passkey' = ANY(auth_methods)"), Is.Zero);

        // Bob's user handle on Alice's credential: the handle must be the credential owner's.
        var swapped = await LoginOptionsAsync();
        var assertion = alice.Get(swapped.GetProperty("options"));
        assertion["response"]!["userHandle"] = SoftwareAuthenticator.B64(bob.Credentials[0].UserHandle);
        var handleSwap = await LoginAsync(swapped, assertion);
        Assert.That((await handleSwap.AssertProblemAsync(HttpStatusCode.Unauthorized)).GetProperty("type").GetString(), Is.EqualTo("/problems/passkey-refused"));
    }

    [Test]
    public async Task Assertion_with_a_forged_signature_is_refused()
    {
        var (_, authenticator, _) = await MemberWithPasskeyAsync("alice");
        var options = await LoginOptionsAsync();
        var assertion = authenticator.Get(options.GetProperty("options"));
        var forger = new SoftwareAuthenticator();
        var forged = forger.Get(options.GetProperty("options"), new SoftwareAuthenticator.Credential(authenticator.Credentials[0].Id, System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256), authenticator.Credentials[0].UserHandle, false) { SignCount = 10 });
        assertion["response"]!["signature"] = forged["response"]!["signature"]!.DeepClone();
        var response = await LoginAsync(options, assertion);
        Assert.That((await response.AssertProblemAsync(HttpStatusCode.Unauthorized)).GetProperty("type").GetString(), Is.EqualTo("/problems/passkey-refused"));
    }

    [Test]
    public async Task Unknown_username_gets_options_of_the_same_shape_with_stable_decoys()
    {
        await MemberWithPasskeyAsync("alice");
        await Client.MemberAsync("bob");
        var known = (await LoginOptionsAsync(new { username = "alice" })).GetProperty("options");
        var unknown = (await LoginOptionsAsync(new { username = "nobody" })).GetProperty("options");
        var again = (await LoginOptionsAsync(new { username = "NoBody" })).GetProperty("options");
        var withoutPasskeys = (await LoginOptionsAsync(new { username = "bob" })).GetProperty("options");

        static string Shape(JsonElement e) => e.ValueKind switch
        {
            JsonValueKind.Object => "{" + string.Join(",", e.EnumerateObject().Select(p => p.Name + ":" + (p.Name is "allowCredentials" ? "[…]" : Shape(p.Value)))) + "}",
            JsonValueKind.Array => "[" + string.Join(",", e.EnumerateArray().Select(Shape)) + "]",
            _ => e.ValueKind.ToString(),
        };
        static string[] Ids(JsonElement o) => [.. o.GetProperty("allowCredentials").EnumerateArray().Select(c => c.GetProperty("id").GetString()!)];
        static string[] Entries(JsonElement o) => [.. o.GetProperty("allowCredentials").EnumerateArray().Select(Shape)];
        Assert.Multiple(() =>
        {
            Assert.That(Shape(unknown), Is.EqualTo(Shape(known)));
            Assert.That(Entries(unknown).Distinct(), Is.EqualTo(Entries(known).Distinct()), "each entry looks like a real one");
            Assert.That(Ids(unknown).Select(i => i.Length).Distinct(), Is.EqualTo(Ids(known).Select(i => i.Length).Distinct()));
            Assert.That(Ids(unknown), Is.Not.Empty);
            Assert.That(Ids(again), Is.EqualTo(Ids(unknown)), "the same name asks twice, the same decoys");
            Assert.That(Ids(withoutPasskeys), Is.Not.Empty.And.Not.EqualTo(Ids(unknown)), "an account without passkeys gets decoys too");
        });
    }

    [Test]
    public async Task Creation_options_exclude_the_accounts_passkeys()
    {
        var (tokens, authenticator, added) = await MemberWithPasskeyAsync("alice");
        var options = await CreationOptionsAsync(tokens.AccessToken, new { password = ApiClientExtensions.Password, recovery_code = added.GetProperty("recovery_codes")[0].GetString() });
        var excluded = options.GetProperty("options").GetProperty("excludeCredentials").EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToList();
        Assert.That(excluded, Is.EqualTo(new[] { SoftwareAuthenticator.B64(authenticator.Credentials[0].Id) }));
    }

    [Test]
    public async Task Creation_options_need_a_second_factor_once_the_account_has_one()
    {
        var (tokens, _, _) = await MemberWithPasskeyAsync("alice");
        var response = await Client.SendAsync(HttpMethod.Post, "/v1/users/me/passkeys/options", tokens.AccessToken, new { password = ApiClientExtensions.Password });
        Assert.That((await response.AssertProblemAsync(HttpStatusCode.Unauthorized)).GetProperty("type").GetString(), Is.EqualTo("/problems/mfa-code-required"));
        var wrongPassword = await Client.SendAsync(HttpMethod.Post, "/v1/users/me/passkeys/options", tokens.AccessToken, new { password = "not the password at all" });
        Assert.That((await wrongPassword.AssertProblemAsync(HttpStatusCode.Unauthorized)).GetProperty("type").GetString(), Is.EqualTo("/problems/wrong-password"));
    }

    private static readonly string[] _malformedCredentials =
    [
        """{"id":"!!!","rawId":"!!!","type":"public-key","response":{"clientDataJSON":"e30","authenticatorData":"AAAA","signature":"AAAA"}}""",
        """{"id":"AAAA","rawId":"AAAA","type":"public-key","response":{"clientDataJSON":"e30","authenticatorData":"AAAA","signature":"AAAA"}}""",
        """{"id":"AAAA","rawId":"AAAA","type":"public-key"}""",
        """{"id":"AAAA","rawId":"AAAA","type":"public-key","response":"nope"}""",
        """{"id":"\ud800","rawId":"\udfff","type":"public-key","response":{}}""",
        """{"rawId":12,"response":[]}""",
        """{"id":"AAAA","rawId":"AAAA","type":"kind-of-key","response":{"clientDataJSON":"e30","authenticatorData":"AAAA","signature":"AAAA"}}""",
        "[]",
        "\"AAAA\"",
        "null",
    ];

    [TestCaseSource(nameof(_malformedCredentials))]
    public async Task Malformed_assertion_is_a_400_problem_not_a_500(string credential)
    {
        var options = await LoginOptionsAsync();
        var body = $$"""{"challenge_id":"{{options.GetProperty("challenge_id").GetString()}}","credential":{{credential}}}""";
        var response = await Client.PostAsync("/v1/passkeys/login", new StringContent(body, Encoding.UTF8, "application/json"));
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("type").GetString(), Is.EqualTo("/problems/validation"));
    }

    [Test]
    public async Task Bytes_of_a_real_assertion_bent_one_at_a_time_are_refused_without_a_500()
    {
        var (_, authenticator, _) = await MemberWithPasskeyAsync("alice");
        var bends = new Func<JsonObject, JsonObject>[]
        {
            c => Set(c, "authenticatorData", Truncate(c, "authenticatorData", 20)),
            c => Set(c, "clientDataJSON", SoftwareAuthenticator.B64(Encoding.UTF8.GetBytes("{\"type\":\"webauthn.get\",\"challenge\":\"\\ud800\",\"origin\":\"\\udfff\"}"))),
            c => Set(c, "clientDataJSON", SoftwareAuthenticator.B64("{\"type\":"u8)),
            c => Set(c, "clientDataJSON", SoftwareAuthenticator.B64([0xff, 0xfe, 0x7b, 0x7d])),
            c => Set(c, "signature", SoftwareAuthenticator.B64([0x30, 0x02, 0x01])),
            c => Set(c, "signature", "*not base64url*"),
            c => Set(c, "userHandle", ""),
        };
        foreach (var bend in bends)
        {
            var options = await LoginOptionsAsync();
            var response = await LoginAsync(options, bend(authenticator.Get(options.GetProperty("options"))), "198.51.100." + Random.Shared.Next(1, 250));
            var text = await response.Content.ReadAsStringAsync();
            Assert.That((int)response.StatusCode, Is.EqualTo(400).Or.EqualTo(401), text);
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), text);
        }

        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.sessions WHERE 'passkey' = ANY(auth_methods)"), Is.Zero);
    }

    [Test]
    public async Task Malformed_attestation_is_a_400_problem_and_spends_the_challenge()
    {
        var tokens = await Client.MemberAsync("alice");
        var options = await CreationOptionsAsync(tokens.AccessToken);
        var credential = new SoftwareAuthenticator().Create(options.GetProperty("options"));
        var whole = credential["response"]!["attestationObject"]!.GetValue<string>();
        credential["response"]!["attestationObject"] = whole[..(whole.Length / 2)];
        var truncated = await AddAsync(tokens.AccessToken, options, credential);
        Assert.That((await truncated.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("type").GetString(), Is.EqualTo("/problems/validation"));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.passkey_challenges"), Is.Zero);
    }

    private static JsonObject Set(JsonObject credential, string field, string value)
    {
        credential["response"]![field] = value;
        return credential;
    }

    private static string Truncate(JsonObject credential, string field, int length) =>
        SoftwareAuthenticator.B64(System.Buffers.Text.Base64Url.DecodeFromChars(credential["response"]![field]!.GetValue<string>()).AsSpan(0, length));
}
