using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Paseto.Auth.Api.Authentication;
using Paseto.Auth.Api.ErrorHandling;
using Paseto.Auth.Application.SecurityEvents;

namespace Paseto.Auth.Api.Controllers;

[ApiController]
[Route("v1/users")]
[Produces("application/json")]
[Authorize]
// The document's tag, and so the group clients and Swagger UI show these operations under, stays "Events".
[Tags("Events")]
[ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, Problems.ContentType)]
public sealed class SecurityEventsController(ISender sender) : ControllerBase
{
    /// <summary>
    /// The caller's security history, newest first: sign-ins (and failed attempts), sessions
    /// ended, and changes to the account. <c>type</c> filters by one event type.
    /// </summary>
    /// <remarks>
    /// Types: <c>signup</c>, <c>login_succeeded</c>, <c>login_failed</c> (details.reason),
    /// <c>login_throttled</c>, <c>refresh_reuse_detected</c>, <c>session_revoked</c> (details.reason
    /// and details.by: self, admin, limit, password_change, reuse, throttle), <c>logout</c>,
    /// <c>password_changed</c>, <c>password_check_failed</c> (a wrong current password at a
    /// step-up; details.operation), <c>email_changed</c> (details.old/new, masked),
    /// <c>username_changed</c> (details.old/new), <c>role_changed</c> (details.old/new/by),
    /// <c>account_deactivated</c> and <c>account_reactivated</c> (details.by),
    /// <c>sessions_revoked_by_admin</c> (details.count and details.by).
    /// </remarks>
    [HttpGet("me/events")]
    [ProducesResponseType<SecurityEventPage>(StatusCodes.Status200OK)]
    public async Task<SecurityEventPage> ListMyEvents([FromQuery] int? limit, [FromQuery] string? cursor, [FromQuery] string? type, CancellationToken cancellationToken) =>
        await sender.Send(new ListSecurityEventsQuery(HttpContext.GetCaller(), null, limit, cursor, type), cancellationToken);

    /// <summary>Admins: any user's security history. Members get a 404 for anyone but themselves.</summary>
    [HttpGet("{username}/events")]
    [ProducesResponseType<SecurityEventPage>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public async Task<SecurityEventPage> ListUserEvents(string username, [FromQuery] int? limit, [FromQuery] string? cursor, [FromQuery] string? type, CancellationToken cancellationToken) =>
        await sender.Send(new ListSecurityEventsQuery(HttpContext.GetCaller(), username, limit, cursor, type), cancellationToken);
}
