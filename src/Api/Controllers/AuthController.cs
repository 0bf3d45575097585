using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Paseto.Auth.Api.Authentication;
using Paseto.Auth.Api.ErrorHandling;
using Paseto.Auth.Api.OpenApi;
using Paseto.Auth.Api.Requests;
using Paseto.Auth.Application.Auth;

namespace Paseto.Auth.Api.Controllers;

[ApiController]
[Route("v1")]
[Produces("application/json")]
public sealed class AuthController(ISender sender) : ControllerBase
{
    private const string FormContentType = "application/x-www-form-urlencoded";

    /// <summary>Logs in with a username (or email) and password; starts a session.</summary>
    /// <remarks>
    /// The body is JSON, or the form of the OAuth 2.0 password grant (<c>grant_type=password</c>),
    /// which is how Swagger UI's "Authorize" logs in.
    /// </remarks>
    [HttpPost("login")]
    [AllowAnonymous]
    [Consumes("application/json")]
    [AlsoAccepts(FormContentType, typeof(LoginForm))]
    [ProducesResponseType<TokenResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, Problems.ContentType)]
    // One schema for every 403 of login (the generated client maps one per status): mfa_token and
    // methods are there when the type is /problems/mfa-required.
    [ProducesResponseType<MfaRequiredProblem>(StatusCodes.Status403Forbidden, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, Problems.ContentType)]
    public async Task<TokenResponse> Login(LoginRequest request, CancellationToken cancellationToken) =>
        await sender.Send(request.ToCommand(HttpContext.GetClientInfo()), cancellationToken);

    /// <summary>The OAuth 2.0 password grant (RFC 6749 §4.3) on the same path, as Swagger UI's "Authorize" sends it.</summary>
    // Ranked after the JSON action: a request whose content type fits both (none, or */*) is the
    // JSON one's, which answers 415, instead of an ambiguous route.
    [HttpPost("login", Order = 1)]
    [AllowAnonymous]
    [Consumes(FormContentType)]
    // One operation in the document, login, with both bodies (AlsoAccepts above): so the client
    // keeps one login method, and the document no second operation on the same path and method.
    [ApiExplorerSettings(IgnoreApi = true)]
    public async Task<TokenResponse> LoginWithForm(
        [FromForm(Name = "grant_type")] string? grantType,
        [FromForm(Name = "username")] string? username,
        [FromForm(Name = "password")] string? password,
        [FromForm(Name = "device_token")] string? deviceToken,
        CancellationToken cancellationToken) =>
        // The fields are bound one by one, each missing one read as empty, so the validator, not
        // model binding, answers for them; the rest is the JSON login's.
        await sender.Send(new LoginRequest(username ?? string.Empty, password ?? string.Empty, deviceToken).ToCommand(HttpContext.GetClientInfo()) with
        {
            GrantType = grantType,
        }, cancellationToken);

    /// <summary>Finishes a login that answered 403 <c>/problems/mfa-required</c>, with a TOTP code or a recovery code; starts the session.</summary>
    /// <remarks>
    /// The <c>mfa_token</c> works once, for 5 minutes, and dies after 5 wrong codes
    /// (<c>/problems/mfa-token-invalid</c>: log in again); a wrong code is <c>/problems/wrong-mfa-code</c>.
    /// </remarks>
    [HttpPost("login/mfa")]
    [AllowAnonymous]
    [Consumes("application/json")]
    [ProducesResponseType<TokenResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, Problems.ContentType)]
    public async Task<TokenResponse> LoginMfa(MfaLoginRequest request, CancellationToken cancellationToken) =>
        await sender.Send(request.ToCommand(HttpContext.GetClientInfo()), cancellationToken);

    /// <summary>Exchanges a refresh token for a new token pair; the old refresh token is spent.</summary>
    /// <remarks>Presenting a spent refresh token again revokes its whole session (reuse detection).</remarks>
    [HttpPost("token/refresh")]
    [AllowAnonymous]
    [Consumes("application/json")]
    [ProducesResponseType<TokenResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, Problems.ContentType)]
    // The body keeps the name "command" the document, and so the generated client's argument, have always had.
    public async Task<TokenResponse> Refresh(RefreshTokensRequest command, CancellationToken cancellationToken) =>
        await sender.Send(command.ToCommand(HttpContext.GetClientInfo()), cancellationToken);

    /// <summary>Ends the current session: its access and refresh tokens stop working at once.</summary>
    [HttpPost("logout")]
    [Authorize]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, Problems.ContentType)]
    public async Task<NoContentResult> Logout(CancellationToken cancellationToken)
    {
        await sender.Send(new LogoutCommand(HttpContext.GetCaller()), cancellationToken);
        return NoContent();
    }
}
