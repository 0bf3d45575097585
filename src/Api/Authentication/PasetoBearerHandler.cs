using System.Diagnostics;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Paseto.Auth.Api.ErrorHandling;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Common;

namespace Paseto.Auth.Api.Authentication;

/// <summary>
/// Bearer authentication with our PASETO access tokens. A token counts only if it decodes and
/// validates (format, key, MAC or signature, claims) and its session is alive in the database,
/// asked once per request or answered from the instance's session cache. A refused token is answered 401 with
/// <c>WWW-Authenticate: Bearer error="invalid_token"</c> (RFC 6750 §3.1) and one of three
/// problems, which tell a client what to do: a genuine token that expired (refresh), a genuine
/// token whose session ended (log in again), and any other token, with one answer for every
/// cause, so a forgery learns nothing about which check failed. "Genuine" means its MAC or
/// signature verified: only the holder of our keys can make a token that is told apart.
/// </summary>
internal sealed class PasetoBearerHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ITokenService tokens,
    ISessionAuthenticator sessions)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";
    private const string Prefix = "Bearer ";

    private static readonly Refusal _invalid = new(ProblemTypes.InvalidToken, "The access token is invalid.", "The access token is invalid");
    private static readonly Refusal _expired = new(ProblemTypes.TokenExpired, "The access token has expired: refresh it, or log in again.", "The access token expired");
    private static readonly Refusal _sessionEnded = new(
        ProblemTypes.SessionEnded,
        "The session of this access token has ended (logged out, revoked, or the account deactivated): log in again.",
        "The session ended");

    /// <summary>Why this request's token was refused; set while authenticating, read by the challenge.</summary>
    private Refusal? _refusal;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        AccessTokenSubject? subject = null;
        var status = header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)
            ? tokens.ReadAccessToken(header[Prefix.Length..].Trim(), out subject)
            : AccessTokenStatus.Invalid;
        if (status != AccessTokenStatus.Valid)
        {
            return Refuse(status == AccessTokenStatus.Expired ? _expired : _invalid);
        }

        var checkStarted = Stopwatch.GetTimestamp();
        var caller = await sessions.AuthenticateAsync(subject!, Context.RequestAborted);
        ServiceMetrics.SessionCheckDuration.Record(
            ServiceMetrics.SecondsSince(checkStarted), new KeyValuePair<string, object?>("result", caller is null ? "ended" : "valid"));
        if (caller is null)
        {
            return Refuse(_sessionEnded);
        }

        caller = caller with { Client = Context.GetClientInfo() };
        Context.Features.Set(caller);
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, caller.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Claim(ClaimTypes.Name, caller.Username),
                new Claim(ClaimTypes.Role, caller.Role),
                new Claim("sid", caller.SessionId.ToString()),
            ],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        if (_refusal is { } refusal)
        {
            Response.Headers.WWWAuthenticate = $"Bearer error=\"invalid_token\", error_description=\"{refusal.Description}\"";
            await WriteProblemAsync(Problems.Create(StatusCodes.Status401Unauthorized, refusal.Detail, refusal.Type));
            return;
        }

        Response.Headers.WWWAuthenticate = "Bearer";
        await WriteProblemAsync(Problems.Create(StatusCodes.Status401Unauthorized, "An access token is required.", ProblemTypes.TokenRequired));
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return WriteProblemAsync(Problems.Create(StatusCodes.Status403Forbidden, "You are not allowed to do this."));
    }

    private AuthenticateResult Refuse(Refusal refusal)
    {
        _refusal = refusal;
        return AuthenticateResult.Fail("invalid_token");
    }

    private Task WriteProblemAsync(Microsoft.AspNetCore.Mvc.ProblemDetails problem) =>
        Context.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = Context, ProblemDetails = problem })
            .AsTask();

    /// <param name="Description">The <c>error_description</c> of the challenge: printable ASCII without quotes or backslashes (RFC 6750 §3).</param>
    private sealed record Refusal(string Type, string Detail, string Description);
}
