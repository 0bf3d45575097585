using System.Net;
using System.Net.Http.Json;
using Paseto.Auth.IntegrationTests.Support;
using ZXing;
using ZXing.Common;
using ZXing.QrCode;

namespace Paseto.Auth.IntegrationTests.Mfa;

/// <summary>Enrolment as an authenticator app sees it: the QR code it scans, and the states of the factor.</summary>
public sealed class MfaEnrollmentTests : MfaTestBase
{
    [Test]
    public async Task The_QR_code_drawn_by_the_SVG_decodes_to_the_otpauth_uri()
    {
        var tokens = await Api.MemberAsync("alice");
        var enrollment = await EnrollAsync(tokens.AccessToken);
        var svg = enrollment.GetProperty("qr_svg").GetString()!;
        Assert.That(svg, Does.StartWith("<svg").Or.StartWith("<?xml"));

        var (pixels, width, height) = SvgRaster.Render(svg, scale: 2);
        var source = new RGBLuminanceSource(pixels, width, height, RGBLuminanceSource.BitmapFormat.Gray8);
        var result = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)), new Dictionary<DecodeHintType, object> { [DecodeHintType.TRY_HARDER] = true });
        Assert.That(result, Is.Not.Null, "a QR code was found in the rendering");
        Assert.That(result.Text, Is.EqualTo(enrollment.GetProperty("otpauth_uri").GetString()));
    }

    [Test]
    public async Task Enrolling_again_while_pending_replaces_the_secret_and_the_old_one_confirms_nothing()
    {
        var tokens = await Api.MemberAsync("alice");
        var first = new Authenticator((await EnrollAsync(tokens.AccessToken)).GetProperty("secret").GetString()!);
        var second = new Authenticator((await EnrollAsync(tokens.AccessToken)).GetProperty("secret").GetString()!);
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.totp_factors"), Is.EqualTo(1));
        Clock.NextStep();
        var stale = await Api.SendAsync(HttpMethod.Post, "/v1/users/me/mfa/totp/confirm", tokens.AccessToken, new { code = first.CodeAt(Clock.GetUtcNow()) });
        Assert.That(await ProblemTypeAsync(stale), Is.EqualTo("/problems/wrong-mfa-code"));
        var confirmed = await Api.SendAsync(HttpMethod.Post, "/v1/users/me/mfa/totp/confirm", tokens.AccessToken, new { code = second.CodeAt(Clock.GetUtcNow()) });
        Assert.That(confirmed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task With_TOTP_on_a_new_enrolment_is_a_409_and_confirm_without_a_pending_one_too()
    {
        var alice = await EnrolledAsync("alice");
        var again = await Api.SendAsync(HttpMethod.Post, "/v1/users/me/mfa/totp", alice.Tokens.AccessToken, new { password = ApiClientExtensions.Password });
        await again.AssertProblemAsync(HttpStatusCode.Conflict);
        Clock.NextStep();
        var confirm = await Api.SendAsync(HttpMethod.Post, "/v1/users/me/mfa/totp/confirm", alice.Tokens.AccessToken, new { code = alice.App.CodeAt(Clock.GetUtcNow()) });
        await confirm.AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Test]
    public async Task Enrolment_needs_the_password()
    {
        var tokens = await Api.MemberAsync("alice");
        var wrong = await Api.SendAsync(HttpMethod.Post, "/v1/users/me/mfa/totp", tokens.AccessToken, new { password = "not the password at all" });
        var problem = await wrong.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.That(problem.GetProperty("type").GetString(), Is.EqualTo("/problems/wrong-password"));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.totp_factors"), Is.Zero);
    }

    [Test]
    public async Task Of_parallel_confirmations_with_one_code_one_issues_the_recovery_codes()
    {
        var tokens = await Api.MemberAsync("alice");
        var app = new Authenticator((await EnrollAsync(tokens.AccessToken)).GetProperty("secret").GetString()!);
        Clock.NextStep();
        var code = app.CodeAt(Clock.GetUtcNow());
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            Api.SendAsync(HttpMethod.Post, "/v1/users/me/mfa/totp/confirm", tokens.AccessToken, new { code })));
        Assert.That(answers.Count(a => a.StatusCode == HttpStatusCode.OK), Is.EqualTo(1));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.recovery_codes"), Is.EqualTo(10));
        var profile = await (await Api.GetAsync("/v1/users/me", tokens.AccessToken)).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.That(profile.GetProperty("mfa_enabled").GetBoolean(), Is.True);
    }
}
