using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Paseto.Auth.Api.Authentication;
using Paseto.Auth.Api.ErrorHandling;
using Paseto.Auth.Api.Requests;
using Paseto.Auth.Application.Auth;
using Paseto.Auth.Application.Passkeys;

namespace Paseto.Auth.Api.Controllers;

/// <summary>Passkeys (DESIGN §11, WebAuthn): the caller's, and signing in with one.</summary>
[ApiController]
[Route("v1")]
[Produces("application/json")]
[Authorize]
public sealed class PasskeysController(ISender sender) : ControllerBase
{
    /// <summary>Starts adding a passkey: WebAuthn creation options for <c>navigator.credentials.create()</c>.</summary>
    /// <remarks>
    /// Needs the password, and once the account has a second factor, a <c>code</c> or <c>recovery_code</c>.
    /// <c>options</c> is a <c>PublicKeyCredentialCreationOptionsJSON</c> (resident key preferred, user
    /// verification required, the account's passkeys in <c>excludeCredentials</c>); the challenge works once, for a few minutes.
    /// </remarks>
    [HttpPost("users/me/passkeys/options")]
    [Consumes("application/json")]
    [ProducesResponseType<PasskeyCeremony>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, Problems.ContentType)]
    public async Task<PasskeyCeremony> PasskeyCreationOptions(PasskeyCreationOptionsRequest request, CancellationToken cancellationToken) =>
        await sender.Send(request.ToCommand(HttpContext.GetCaller()), cancellationToken);

    /// <summary>Adds a passkey: the browser's answer to the creation options.</summary>
    /// <remarks>
    /// The account's first second factor also answers its 10 <c>recovery_codes</c>, shown only here.
    /// A refused answer is <c>/problems/passkey-challenge-invalid</c>, <c>/problems/passkey-origin-mismatch</c> or <c>/problems/passkey-refused</c>.
    /// </remarks>
    [HttpPost("users/me/passkeys")]
    [Consumes("application/json")]
    [ProducesResponseType<PasskeyAdded>(StatusCodes.Status201Created)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    public async Task<ActionResult<PasskeyAdded>> AddPasskey(AddPasskeyRequest request, CancellationToken cancellationToken)
    {
        var added = await sender.Send(request.ToCommand(HttpContext.GetCaller()), cancellationToken);
        return Created($"/v1/users/me/passkeys/{added.Id}", added);
    }

    /// <summary>The caller's passkeys, oldest first.</summary>
    [HttpGet("users/me/passkeys")]
    [ProducesResponseType<PasskeyList>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, Problems.ContentType)]
    public async Task<PasskeyList> ListPasskeys(CancellationToken cancellationToken) =>
        await sender.Send(new ListPasskeysQuery(HttpContext.GetCaller().UserId), cancellationToken);

    /// <summary>Renames one of the caller's passkeys.</summary>
    [HttpPatch("users/me/passkeys/{id:guid}")]
    [Consumes("application/json")]
    [ProducesResponseType<PasskeyView>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public async Task<PasskeyView> RenamePasskey(Guid id, RenamePasskeyRequest request, CancellationToken cancellationToken) =>
        await sender.Send(request.ToCommand(HttpContext.GetCaller().UserId, id), cancellationToken);

    /// <summary>Removes one of the caller's passkeys, with a <c>code</c>, a <c>recovery_code</c> or a fresh <c>assertion</c> of a passkey.</summary>
    /// <remarks>The account's last second factor goes with its recovery codes; a role that requires a factor keeps its last one (409).</remarks>
    [HttpDelete("users/me/passkeys/{id:guid}")]
    [Consumes("application/json")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, Problems.ContentType)]
    public async Task<NoContentResult> RemovePasskey(Guid id, RemovePasskeyRequest request, CancellationToken cancellationToken)
    {
        await sender.Send(request.ToCommand(HttpContext.GetCaller(), id), cancellationToken);
        return NoContent();
    }

    /// <summary>Request options to prove, for a risky change, that the caller holds one of their passkeys (an <c>assertion</c> in the change's body).</summary>
    /// <remarks>The challenge is bound to the caller and to step-ups: it signs nobody in.</remarks>
    [HttpPost("users/me/passkeys/verification-options")]
    [ProducesResponseType<PasskeyCeremony>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    public async Task<PasskeyCeremony> PasskeyVerificationOptions(CancellationToken cancellationToken) =>
        await sender.Send(new PasskeyStepUpOptionsCommand(HttpContext.GetCaller()), cancellationToken);

    /// <summary>Starts a passkey sign-in: WebAuthn request options for <c>navigator.credentials.get()</c>.</summary>
    /// <remarks>
    /// Without a username, <c>allowCredentials</c> is empty (discoverable passkeys, autofill through conditional mediation).
    /// With one, it lists that account's passkeys; a name without passkeys gets the same shape, so the answer tells nothing.
    /// With an <c>mfa_token</c>, the sign-in finishes that password login.
    /// </remarks>
    [HttpPost("passkeys/login/options")]
    [AllowAnonymous]
    [Consumes("application/json")]
    [ProducesResponseType<PasskeyCeremony>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, Problems.ContentType)]
    public async Task<PasskeyCeremony> PasskeyLoginOptions(PasskeyRequestOptionsRequest request, CancellationToken cancellationToken) =>
        await sender.Send(request.ToCommand(), cancellationToken);

    /// <summary>Signs in with a passkey (or finishes a password login with one); starts the session as a password login does.</summary>
    /// <remarks>
    /// The session's methods include <c>passkey</c>, a second factor. A refused assertion is 401 <c>/problems/passkey-refused</c>
    /// (<c>/problems/passkey-counter-regressed</c> for a counter that went backwards, recorded); a used or expired challenge is 400
    /// <c>/problems/passkey-challenge-invalid</c>.
    /// </remarks>
    [HttpPost("passkeys/login")]
    [AllowAnonymous]
    [Consumes("application/json")]
    [ProducesResponseType<TokenResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, Problems.ContentType)]
    public async Task<TokenResponse> PasskeyLogin(PasskeyLoginRequest request, CancellationToken cancellationToken) =>
        await sender.Send(request.ToCommand(HttpContext.GetClientInfo()), cancellationToken);
}
