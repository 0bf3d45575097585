using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Mfa;

/// <summary>DESIGN §9: enrolment, and login with the second factor, as a person with an authenticator app does it.</summary>
public sealed class MfaLoginTests : MfaTestBase
{
    [Test]
    public async Task The_whole_flow_enrols_confirms_and_logs_in_with_a_code_from_the_app()
    {
        var tokens = await Api.MemberAsync("alice");
        var enrollment = await EnrollAsync(tokens.AccessToken);
        var secret = enrollment.GetProperty("secret").GetString()!;
        Assert.Multiple(() =>
        {
            Assert.That(secret, Does.Match("^[A-Z2-7]{32}$"), "160 bits in Base32");
            Assert.That(enrollment.GetProperty("otpauth_uri").GetString(),
                Is.EqualTo($"otpauth://totp/Paseto.Auth:alice?secret={secret}&issuer=Paseto.Auth&algorithm=SHA1&digits=6&period=30"));
        });

        // Pending: login does not ask for it yet.
        var pending = await Api.LoginOkAsync("alice");
        Assert.That(pending.AccessToken, Is.Not.Empty);

        var app = new Authenticator(secret);
        Clock.NextStep();
        var confirmed = await Api.SendAsync(HttpMethod.Post, "/v1/users/me/mfa/totp/confirm", tokens.AccessToken, new { code = app.CodeAt(Clock.GetUtcNow()) });
        Assert.That(confirmed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await confirmed.Content.ReadAsStringAsync());
        var codes = (await confirmed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("recovery_codes").EnumerateArray().Select(c => c.GetString()!).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(codes, Has.Count.EqualTo(10));
            Assert.That(codes, Is.Unique);
            Assert.That(codes, Has.All.Match("^[0-9a-hjkmnp-tv-z]{4}(-[0-9a-hjkmnp-tv-z]{4}){3}$"), "16 Crockford Base32 characters: 80 bits");
        });
        var profile = await (await Api.GetAsync("/v1/users/me", tokens.AccessToken)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(profile.GetProperty("mfa_enabled").GetBoolean(), Is.True);

        var login = await Api.LoginAsync("alice");
        var problem = await login.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Multiple(() =>
        {
            Assert.That(problem.GetProperty("type").GetString(), Is.EqualTo("/problems/mfa-required"));
            Assert.That(problem.GetProperty("methods").EnumerateArray().Select(m => m.GetString()), Is.EqualTo(new[] { "totp", "recovery_code" }));
        });
        var mfaToken = problem.GetProperty("mfa_token").GetString()!;
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.sessions"), Is.EqualTo(2), "the password step starts no session");

        Clock.NextStep();
        var finished = await MfaLoginAsync(mfaToken, app.CodeAt(Clock.GetUtcNow()));
        Assert.That(finished.StatusCode, Is.EqualTo(HttpStatusCode.OK), await finished.Content.ReadAsStringAsync());
        var session = await ApiClientExtensions.ReadTokensAsync(finished);
        Assert.Multiple(async () =>
        {
            Assert.That(session.DeviceToken, Is.Not.Null.And.Not.Empty);
            Assert.That((await Api.GetAsync("/v1/users/me", session.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await ScalarAsync<string>("SELECT array_to_string(auth_methods, ',') FROM paseto_auth.sessions WHERE id = $1", session.SessionId),
                Is.EqualTo("password,totp"));
        });

        // A refresh keeps the session, and so its methods.
        var refreshed = await Api.PostAsJsonAsync("/v1/token/refresh", new { refresh_token = session.RefreshToken });
        Assert.That(refreshed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await ScalarAsync<string>("SELECT array_to_string(auth_methods, ',') FROM paseto_auth.sessions WHERE id = $1", session.SessionId),
            Is.EqualTo("password,totp"));

        // The mfa_token worked once.
        var again = await MfaLoginAsync(mfaToken, app.CodeAt(Clock.GetUtcNow().AddSeconds(30)));
        Assert.That(await ProblemTypeAsync(again), Is.EqualTo("/problems/mfa-token-invalid"));
        Assert.That(await ScalarAsync<string>("SELECT string_agg(kind, ',' ORDER BY id) FROM paseto_auth.mail_outbox WHERE kind LIKE 'mfa%'"), Is.EqualTo("mfa_enabled"));
    }

    [Test]
    public async Task The_mfa_token_is_stored_only_as_a_hash()
    {
        var alice = await EnrolledAsync("alice");
        var mfaToken = await PasswordStepAsync("alice");
        var stored = await ScalarAsync<byte[]>("SELECT token_hash FROM paseto_auth.mfa_challenges");
        Assert.That(stored, Is.EqualTo(System.Security.Cryptography.SHA256.HashData(System.Buffers.Text.Base64Url.DecodeFromChars(mfaToken))));
        Assert.That(alice.RecoveryCodes, Is.Not.Empty);
    }

    [Test]
    public async Task A_used_code_is_refused_again_and_an_earlier_step_after_a_later_one()
    {
        var alice = await EnrolledAsync("alice");
        await LoginWithCodeAsync("alice", alice.App);
        var sameStep = await MfaLoginAsync(await PasswordStepAsync("alice"), alice.App.CodeAt(Clock.GetUtcNow()));
        Assert.That(await ProblemTypeAsync(sameStep), Is.EqualTo("/problems/wrong-mfa-code"));

        // The next step's code (drift +1) is accepted; then the current step's is older than the last used.
        var token = await PasswordStepAsync("alice");
        Assert.That((await MfaLoginAsync(token, alice.App.CodeAt(Clock.GetUtcNow().AddSeconds(30)))).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Clock.Advance(TimeSpan.FromSeconds(1));
        var older = await MfaLoginAsync(await PasswordStepAsync("alice"), alice.App.CodeAt(Clock.GetUtcNow()));
        Assert.That(await ProblemTypeAsync(older), Is.EqualTo("/problems/wrong-mfa-code"));
    }

    [Test]
    public async Task Of_a_parallel_burst_of_one_code_with_many_mfa_tokens_exactly_one_logs_in()
    {
        var alice = await EnrolledAsync("alice");
        var tokens = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            tokens.Add(await PasswordStepAsync("alice", $"10.20.0.{i + 1}"));
        }

        Clock.NextStep();
        var code = alice.App.CodeAt(Clock.GetUtcNow());
        var answers = await Task.WhenAll(tokens.Select(t => MfaLoginAsync(t, code)));
        Assert.That(answers.Count(a => a.StatusCode == HttpStatusCode.OK), Is.EqualTo(1));
        Assert.That(answers.Where(a => a.StatusCode != HttpStatusCode.OK).Select(a => a.StatusCode), Has.All.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.sessions WHERE 'totp' = ANY(auth_methods)"), Is.EqualTo(1));
    }

    [TestCase(-1, true)]
    [TestCase(1, true)]
    [TestCase(-2, false)]
    [TestCase(2, false)]
    public async Task Clock_drift_of_one_step_is_accepted_and_of_two_refused(int steps, bool accepted)
    {
        var alice = await EnrolledAsync("alice");
        // Far enough past the confirmation's step that the step before is still unused.
        Clock.NextStep();
        Clock.NextStep();
        Clock.NextStep();
        var token = await PasswordStepAsync("alice");
        var response = await MfaLoginAsync(token, alice.App.Code(Authenticator.StepAt(Clock.GetUtcNow()) + steps));
        Assert.That(response.StatusCode, Is.EqualTo(accepted ? HttpStatusCode.OK : HttpStatusCode.Unauthorized), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Five_wrong_codes_spend_the_mfa_token()
    {
        var alice = await EnrolledAsync("alice");
        var token = await PasswordStepAsync("alice");
        Clock.NextStep();
        var right = alice.App.CodeAt(Clock.GetUtcNow());
        var wrong = WrongCode(alice.App);
        for (var i = 0; i < 4; i++)
        {
            Assert.That(await ProblemTypeAsync(await MfaLoginAsync(token, wrong)), Is.EqualTo("/problems/wrong-mfa-code"));
        }

        Assert.That(await ProblemTypeAsync(await MfaLoginAsync(token, wrong)), Is.EqualTo("/problems/mfa-token-invalid"), "the fifth wrong code ends it");
        Assert.That(await ProblemTypeAsync(await MfaLoginAsync(token, right)), Is.EqualTo("/problems/mfa-token-invalid"));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.mail_outbox WHERE kind = 'mfa_failure_limit'"), Is.EqualTo(1));

        // A new password step, and the right code works.
        Assert.That((await MfaLoginAsync(await PasswordStepAsync("alice"), right)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_burst_of_twenty_wrong_codes_counts_at_most_five_on_the_token()
    {
        var alice = await EnrolledAsync("alice");
        var token = await PasswordStepAsync("alice");
        Clock.NextStep();
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => MfaLoginAsync(token, WrongCode(alice.App))));
        Assert.Multiple(async () =>
        {
            Assert.That(answers.Select(a => a.StatusCode), Has.All.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(await ScalarAsync<int>("SELECT attempts FROM paseto_auth.mfa_challenges"), Is.EqualTo(5));
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.security_events WHERE type = 'mfa_check_failed'"), Is.EqualTo(5),
                "five codes were checked, no more");
        });
        Assert.That(await ProblemTypeAsync(await MfaLoginAsync(token, alice.App.CodeAt(Clock.GetUtcNow()))), Is.EqualTo("/problems/mfa-token-invalid"));
    }

    [Test]
    public async Task Wrong_codes_are_throttled_per_account_across_mfa_tokens()
    {
        var alice = await EnrolledAsync("alice");
        Clock.NextStep();
        var wrong = WrongCode(alice.App);
        // Two tokens spent by 5 wrong codes each: the account's 10 an hour.
        for (var t = 0; t < 2; t++)
        {
            var token = await PasswordStepAsync("alice");
            for (var i = 0; i < 5; i++)
            {
                Assert.That((await MfaLoginAsync(token, wrong)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            }
        }

        var fresh = await PasswordStepAsync("alice");
        var refused = await MfaLoginAsync(fresh, alice.App.CodeAt(Clock.GetUtcNow()));
        await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.That(refused.Headers.RetryAfter, Is.Not.Null);
    }

    [Test]
    public async Task A_recovery_code_logs_in_once_and_is_noticed()
    {
        var alice = await EnrolledAsync("alice");
        // As a person copies it: upper case, without the dashes.
        var code = alice.RecoveryCodes[3];
        var first = await MfaLoginAsync(await PasswordStepAsync("alice"), recoveryCode: code.Replace("-", "", StringComparison.Ordinal).ToUpperInvariant());
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK), await first.Content.ReadAsStringAsync());
        var session = await ApiClientExtensions.ReadTokensAsync(first);
        Assert.That(await ScalarAsync<string>("SELECT array_to_string(auth_methods, ',') FROM paseto_auth.sessions WHERE id = $1", session.SessionId),
            Is.EqualTo("password,recovery_code"));

        var second = await MfaLoginAsync(await PasswordStepAsync("alice"), recoveryCode: code);
        Assert.That(await ProblemTypeAsync(second), Is.EqualTo("/problems/wrong-mfa-code"));
        Assert.Multiple(async () =>
        {
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.mail_outbox WHERE kind = 'recovery_code_used'"), Is.EqualTo(1));
            Assert.That(await ScalarAsync<string>("SELECT details->>'left' FROM paseto_auth.security_events WHERE type = 'recovery_code_used'"), Is.EqualTo("9"));
        });
    }

    [Test]
    public async Task Of_a_parallel_burst_of_one_recovery_code_exactly_one_logs_in()
    {
        var alice = await EnrolledAsync("alice");
        var tokens = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            tokens.Add(await PasswordStepAsync("alice", $"10.21.0.{i + 1}"));
        }

        var answers = await Task.WhenAll(tokens.Select(t => MfaLoginAsync(t, recoveryCode: alice.RecoveryCodes[0])));
        Assert.That(answers.Count(a => a.StatusCode == HttpStatusCode.OK), Is.EqualTo(1));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.recovery_codes WHERE used_at IS NOT NULL"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_password_change_after_the_password_step_kills_its_mfa_token()
    {
        var alice = await EnrolledAsync("alice");
        var token = await PasswordStepAsync("alice");
        Clock.NextStep();
        var changed = await Api.SendAsync(HttpMethod.Put, "/v1/users/me/password", alice.Tokens.AccessToken,
            new { current_password = ApiClientExtensions.Password, new_password = "another long passphrase", code = alice.App.CodeAt(Clock.GetUtcNow()) });
        Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await changed.Content.ReadAsStringAsync());
        var late = await MfaLoginAsync(token, alice.App.CodeAt(Clock.GetUtcNow().AddSeconds(30)));
        Assert.That(await ProblemTypeAsync(late), Is.EqualTo("/problems/mfa-token-invalid"));
    }

    [TestCase("12345")]
    [TestCase("1234567")]
    [TestCase("12a456")]
    [TestCase("١٢٣٤٥٦")]
    public async Task A_code_that_is_not_six_ascii_digits_is_a_400_and_spends_nothing(string code)
    {
        await EnrolledAsync("alice");
        var token = await PasswordStepAsync("alice");
        var problem = await (await MfaLoginAsync(token, code)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "code" }));
        Assert.That(await ScalarAsync<int>("SELECT attempts FROM paseto_auth.mfa_challenges"), Is.Zero);
    }

    /// <summary>A code that is none of the three steps the service accepts now.</summary>
    private string WrongCode(Authenticator app)
    {
        var step = Authenticator.StepAt(Clock.GetUtcNow());
        var taken = new[] { app.Code(step - 1), app.Code(step), app.Code(step + 1) };
        return Enumerable.Range(0, 10).Select(i => $"{i}{i}{i}{i}{i}{i}").First(c => !taken.Contains(c));
    }
}
