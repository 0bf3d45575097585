using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Paseto.Auth.Api.Authentication;
using Paseto.Auth.Api.ErrorHandling;
using Paseto.Auth.Api.Requests;
using Paseto.Auth.Application.Email;

namespace Paseto.Auth.Api.Controllers;

/// <summary>Account recovery by mail (DESIGN §8).</summary>
[ApiController]
[Route("v1/password")]
[Produces("application/json")]
[AllowAnonymous]
public sealed class PasswordController(ISender sender) : ControllerBase
{
    /// <summary>Mails a password-reset link to the address if an account has it.</summary>
    /// <remarks>
    /// The same 202, body and time whether or not the address has an account; throttled per
    /// client address and per address asked for, 429 alike.
    /// </remarks>
    [HttpPost("forgot")]
    [Consumes("application/json")]
    [ProducesResponseType<ForgotPasswordResponse>(StatusCodes.Status202Accepted)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, Problems.ContentType)]
    public async Task<AcceptedResult> Forgot(ForgotPasswordRequest command, CancellationToken cancellationToken) =>
        Accepted(value: await sender.Send(command.ToCommand(HttpContext.GetClientInfo()), cancellationToken));

    /// <summary>Sets a new password with a reset token: every session of the account ends, the address counts as verified.</summary>
    [HttpPost("reset")]
    [Consumes("application/json")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    public async Task<NoContentResult> Reset(ResetPasswordRequest command, CancellationToken cancellationToken)
    {
        await sender.Send(command.ToCommand(HttpContext.GetClientInfo()), cancellationToken);
        return NoContent();
    }
}
