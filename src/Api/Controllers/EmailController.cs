using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Paseto.Auth.Api.Authentication;
using Paseto.Auth.Api.ErrorHandling;
using Paseto.Auth.Api.Requests;
using Paseto.Auth.Application.Email;

namespace Paseto.Auth.Api.Controllers;

/// <summary>
/// Verified addresses (DESIGN §8). Tokens come from mailed links, which carry them in the
/// fragment and open the account pages; only these POSTs use them, never a GET (mail scanners
/// fetch links).
/// </summary>
[ApiController]
[Route("v1")]
[Produces("application/json")]
public sealed class EmailController(ISender sender) : ControllerBase
{
    /// <summary>Mails a new link for the caller's unverified address (the pending one while an email change waits).</summary>
    /// <remarks>Nothing is sent when the address is already verified and no change waits. Throttled per account.</remarks>
    [HttpPost("users/me/email/verification")]
    [Authorize]
    [ProducesResponseType(StatusCodes.Status202Accepted)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, Problems.ContentType)]
    public async Task<AcceptedResult> ResendVerification(CancellationToken cancellationToken)
    {
        await sender.Send(new ResendVerificationCommand(HttpContext.GetCaller()), cancellationToken);
        return Accepted();
    }

    /// <summary>Uses a verification or email-change token: the address is verified, or the pending address becomes the account's email.</summary>
    [HttpPost("email/verify")]
    [AllowAnonymous]
    [Consumes("application/json")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    public async Task<NoContentResult> Verify(VerifyEmailRequest command, CancellationToken cancellationToken)
    {
        await sender.Send(command.ToCommand(HttpContext.GetClientInfo()), cancellationToken);
        return NoContent();
    }

    /// <summary>Uses the token of the notice sent to the old address: the waiting email change is dropped.</summary>
    [HttpPost("email/change/cancel")]
    [AllowAnonymous]
    [Consumes("application/json")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    public async Task<NoContentResult> CancelChange(CancelEmailChangeRequest command, CancellationToken cancellationToken)
    {
        await sender.Send(command.ToCommand(HttpContext.GetClientInfo()), cancellationToken);
        return NoContent();
    }
}
