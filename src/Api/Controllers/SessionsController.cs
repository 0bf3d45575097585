using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Paseto.Auth.Api.Authentication;
using Paseto.Auth.Api.ErrorHandling;
using Paseto.Auth.Application.Sessions;

namespace Paseto.Auth.Api.Controllers;

[ApiController]
[Route("v1/sessions")]
[Produces("application/json")]
[Authorize]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, Problems.ContentType)]
public sealed class SessionsController(ISender sender) : ControllerBase
{
    /// <summary>The caller's active sessions, newest first; <c>current</c> marks this one.</summary>
    [HttpGet]
    [ProducesResponseType<SessionList>(StatusCodes.Status200OK)]
    public async Task<SessionList> ListSessions(CancellationToken cancellationToken) =>
        await sender.Send(new ListSessionsQuery(HttpContext.GetCaller()), cancellationToken);

    /// <summary>Revokes one of the caller's sessions.</summary>
    [HttpDelete("{id:guid}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public async Task<NoContentResult> RevokeSession(Guid id, CancellationToken cancellationToken)
    {
        await sender.Send(new RevokeSessionCommand(HttpContext.GetCaller(), id), cancellationToken);
        return NoContent();
    }

    /// <summary>Revokes every session of the caller except the current one.</summary>
    [HttpDelete]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<NoContentResult> RevokeOtherSessions(CancellationToken cancellationToken)
    {
        await sender.Send(new RevokeOtherSessionsCommand(HttpContext.GetCaller()), cancellationToken);
        return NoContent();
    }

    /// <summary>Revokes one of the caller's known devices (listed with the sessions).</summary>
    [HttpDelete("/v1/devices/{id:guid}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public async Task<NoContentResult> RevokeDevice(Guid id, CancellationToken cancellationToken)
    {
        await sender.Send(new RevokeDeviceCommand(HttpContext.GetCaller(), id), cancellationToken);
        return NoContent();
    }
}
