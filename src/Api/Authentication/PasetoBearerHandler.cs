using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Paseto.Auth.Api.ErrorHandling;
using Paseto.Auth.Application.Abstractions;

namespace Paseto.Auth.Api.Authentication;

/// <summary>
/// Bearer authentication with our PASETO access tokens. A token counts only if it decodes and
/// validates (format, key, MAC or signature, claims) and its session is alive in the database,
/// which is asked once per request. Failures answer 401 with
/// <c>WWW-Authenticate: Bearer error="invalid_token"</c> and one problem body for every cause,
/// so the response tells an attacker nothing about which check failed.
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

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)
            || !tokens.TryReadAccessToken(header[Prefix.Length..].Trim(), out var subject))
        {
            return AuthenticateResult.Fail("invalid_token");
        }

        var caller = await sessions.AuthenticateAsync(subject, Context.RequestAborted);
        if (caller is null)
        {
            return AuthenticateResult.Fail("invalid_token");
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
        var result = await HandleAuthenticateOnceSafeAsync();
        var presented = result.Failure is not null;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = presented ? "Bearer error=\"invalid_token\"" : "Bearer";
        await WriteProblemAsync(Problems.Create(
            StatusCodes.Status401Unauthorized,
            presented ? "The access token is invalid, expired or revoked." : "An access token is required.",
            presented ? ProblemTypes.InvalidToken : ProblemTypes.TokenRequired));
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return WriteProblemAsync(Problems.Create(StatusCodes.Status403Forbidden, "You are not allowed to do this."));
    }

    private Task WriteProblemAsync(Microsoft.AspNetCore.Mvc.ProblemDetails problem) =>
        Context.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = Context, ProblemDetails = problem })
            .AsTask();
}
