using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Paseto.Auth.Api.Authentication;
using Paseto.Auth.Api.ErrorHandling;
using Paseto.Auth.Api.Requests;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.SecondFactor;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Api.Controllers;

/// <summary>The caller's second factor (DESIGN §9): TOTP enrolment, its removal, recovery codes; and an admin's removal of a user's factors.</summary>
[ApiController]
[Route("v1/users")]
[Produces("application/json")]
[Authorize]
public sealed class MfaController(ISender sender) : ControllerBase
{
    /// <summary>Starts a TOTP enrolment: a new secret, its <c>otpauth://</c> URI and that URI as a QR code (SVG).</summary>
    /// <remarks>The factor counts only once <c>…/totp/confirm</c> gets a code for it; asking again replaces a pending enrolment.</remarks>
    [HttpPost("me/mfa/totp")]
    [Consumes("application/json")]
    [ProducesResponseType<TotpEnrollment>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, Problems.ContentType)]
    public async Task<TotpEnrollment> EnrollTotp(EnrollTotpRequest request, CancellationToken cancellationToken) =>
        await sender.Send(request.ToCommand(HttpContext.GetCaller()), cancellationToken);

    /// <summary>Turns the pending TOTP factor on with a code from the app; answers the 10 recovery codes, shown only here.</summary>
    [HttpPost("me/mfa/totp/confirm")]
    [Consumes("application/json")]
    [ProducesResponseType<RecoveryCodeSet>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    public async Task<RecoveryCodeSet> ConfirmTotp(ConfirmTotpRequest request, CancellationToken cancellationToken) =>
        await sender.Send(request.ToCommand(HttpContext.GetCaller()), cancellationToken);

    /// <summary>Turns TOTP off (with the recovery codes), with the password and a current code or a recovery code.</summary>
    /// <remarks>A role that requires a second factor (<c>Auth:Mfa:RequiredForRoles</c>) keeps its last one: 409.</remarks>
    [HttpPost("me/mfa/totp/disable")]
    [Consumes("application/json")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, Problems.ContentType)]
    public async Task<NoContentResult> DisableTotp(DisableTotpRequest request, CancellationToken cancellationToken)
    {
        await sender.Send(request.ToCommand(HttpContext.GetCaller()), cancellationToken);
        return NoContent();
    }

    /// <summary>A new set of 10 recovery codes, with the password and a current code; the old set stops working.</summary>
    [HttpPost("me/mfa/recovery-codes")]
    [Consumes("application/json")]
    [ProducesResponseType<RecoveryCodeSet>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, Problems.ContentType)]
    public async Task<RecoveryCodeSet> RegenerateRecoveryCodes(RegenerateRecoveryCodesRequest request, CancellationToken cancellationToken) =>
        await sender.Send(request.ToCommand(HttpContext.GetCaller()), cancellationToken);

    /// <summary>Admins: removes every second factor and recovery code of a user who lost them; recorded and mailed to the user.</summary>
    [HttpDelete("{username}/mfa")]
    [Authorize(Roles = Roles.Admin)]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    public async Task<NoContentResult> RemoveUserFactors(string username, CancellationToken cancellationToken)
    {
        await sender.Send(new RemoveUserFactorsCommand(HttpContext.GetCaller(), username ?? string.Empty), cancellationToken);
        return NoContent();
    }
}
