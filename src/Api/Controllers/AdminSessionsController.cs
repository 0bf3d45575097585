using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Paseto.Auth.Api.Authentication;
using Paseto.Auth.Api.ErrorHandling;
using Paseto.Auth.Application.Sessions;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Api.Controllers;

/// <summary>The admin's levers on a user's sessions (DESIGN §3, ASVS 7.4.5): see them, and end them all.</summary>
[ApiController]
[Route("v1/users/{username}/sessions")]
[Produces("application/json")]
[Authorize(Roles = Roles.Admin)]
[Tags("Sessions")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, Problems.ContentType)]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, Problems.ContentType)]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
public sealed class AdminSessionsController(ISender sender) : ControllerBase
{
    /// <summary>Admins: a user's active sessions, newest first, and known devices.</summary>
    [HttpGet]
    [ProducesResponseType<SessionList>(StatusCodes.Status200OK)]
    public async Task<SessionList> ListUserSessions(string username, CancellationToken cancellationToken) =>
        await sender.Send(new ListUserSessionsQuery(HttpContext.GetCaller(), username ?? string.Empty), cancellationToken);

    /// <summary>
    /// Admins: ends every active session of a user; their access and refresh tokens stop working
    /// at once. Recorded in the user's history as <c>sessions_revoked_by_admin</c>. The account
    /// stays active: deactivate it (<c>PATCH /v1/users/{username}</c>) to stop new logins.
    /// </summary>
    [HttpDelete]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<NoContentResult> RevokeUserSessions(string username, CancellationToken cancellationToken)
    {
        await sender.Send(new RevokeUserSessionsCommand(HttpContext.GetCaller(), username ?? string.Empty), cancellationToken);
        return NoContent();
    }
}
