using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Mfa;

/// <summary>
/// A host on a <see cref="ShiftedClock"/>, and the steps a person with an authenticator app
/// takes, through real HTTP: enrol, confirm, log in with a code.
/// </summary>
public abstract class MfaTestBase : ApiTestBase
{
    private protected ShiftedClock Clock { get; } = new();

    private Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> _host = null!;

    /// <summary>The client of the host on <see cref="Clock"/>.</summary>
    protected HttpClient Api { get; private set; } = null!;

    [OneTimeSetUp]
    public void StartShiftedHost()
    {
        _host = Factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Clock)));
        Api = _host.CreateClient();
    }

    [OneTimeTearDown]
    public async Task StopShiftedHost()
    {
        Api.Dispose();
        await _host.DisposeAsync();
    }

    /// <summary>Signs up, logs in, enrols and confirms TOTP; returns the app, the recovery codes and the (password-only) session's tokens.</summary>
    private protected async Task<Enrolled> EnrolledAsync(string username)
    {
        var tokens = await Api.MemberAsync(username);
        var enrollment = await EnrollAsync(tokens.AccessToken);
        var app = new Authenticator(enrollment.GetProperty("secret").GetString()!);
        Clock.NextStep();
        var confirmed = await Api.SendAsync(HttpMethod.Post, "/v1/users/me/mfa/totp/confirm", tokens.AccessToken, new { code = app.CodeAt(Clock.GetUtcNow()) });
        Assert.That(confirmed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await confirmed.Content.ReadAsStringAsync());
        var codes = (await confirmed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("recovery_codes").EnumerateArray().Select(c => c.GetString()!).ToList();
        return new Enrolled(app, codes, tokens);
    }

    protected async Task<JsonElement> EnrollAsync(string accessToken)
    {
        var response = await Api.SendAsync(HttpMethod.Post, "/v1/users/me/mfa/totp", accessToken, new { password = ApiClientExtensions.Password });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The password step of an account with a factor: asserts the 403 and returns its <c>mfa_token</c>.</summary>
    protected async Task<string> PasswordStepAsync(string username, string? ip = null)
    {
        var response = ip is null ? await Api.LoginAsync(username) : await Api.LoginFromAsync(ip, username);
        var problem = await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.That(problem.GetProperty("type").GetString(), Is.EqualTo("/problems/mfa-required"));
        return problem.GetProperty("mfa_token").GetString()!;
    }

    protected Task<HttpResponseMessage> MfaLoginAsync(string mfaToken, string? code = null, string? recoveryCode = null) =>
        Api.PostAsJsonAsync("/v1/login/mfa", new { mfa_token = mfaToken, code, recovery_code = recoveryCode });

    /// <summary>Both steps, with the app's code of a fresh time step; returns the session's tokens.</summary>
    private protected async Task<Tokens> LoginWithCodeAsync(string username, Authenticator app)
    {
        var mfaToken = await PasswordStepAsync(username);
        Clock.NextStep();
        var response = await MfaLoginAsync(mfaToken, app.CodeAt(Clock.GetUtcNow()));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await ApiClientExtensions.ReadTokensAsync(response);
    }

    protected static async Task<string?> ProblemTypeAsync(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType == "application/problem+json"
            ? (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString()
            : null;

    private protected sealed record Enrolled(Authenticator App, IReadOnlyList<string> RecoveryCodes, Tokens Tokens);
}
