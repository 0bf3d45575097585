using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Paseto.Auth.Api.Authentication;
using Paseto.Auth.Api.ErrorHandling;
using Paseto.Auth.Api.Requests;
using Paseto.Auth.Application.Users;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Api.Controllers;

[ApiController]
[Route("v1/users")]
[Produces("application/json")]
[Authorize]
public sealed class UsersController(ISender sender) : ControllerBase
{
    /// <summary>Creates an account. Needs the shared referer secret.</summary>
    [HttpPost("signup")]
    [AllowAnonymous]
    [Consumes("application/json")]
    [ProducesResponseType<UserProfile>(StatusCodes.Status201Created)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, Problems.ContentType)]
    // The body keeps the name "command" the document, and so the generated client's argument, have always had.
    public async Task<ActionResult<UserProfile>> Signup(SignupUserRequest command, CancellationToken cancellationToken)
    {
        var profile = await sender.Send(command.ToCommand(HttpContext.GetClientInfo()), cancellationToken);
        return CreatedAtAction(nameof(GetByUsername), new { username = profile.Username }, profile);
    }

    /// <summary>The caller's own profile.</summary>
    [HttpGet("me")]
    [ProducesResponseType<UserProfile>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, Problems.ContentType)]
    // No CancellationToken parameter: an action without parameters skips model binding, and the
    // handler answers from the session check without waiting on anything.
    public async Task<UserProfile> GetMe() =>
        await sender.Send(new GetOwnProfileQuery(HttpContext.GetCaller()), HttpContext.RequestAborted);

    /// <summary>A member's profile page: the owner and admins see the email, other members do not.</summary>
    [HttpGet("{username}")]
    [ProducesResponseType<UserProfile>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public async Task<UserProfile> GetByUsername(string username, CancellationToken cancellationToken) =>
        // MVC binds a blank segment (/v1/users/%20) as null; no username is blank, so it is looked
        // up as empty and answers 404.
        await sender.Send(new GetProfileQuery(HttpContext.GetCaller(), username ?? string.Empty), cancellationToken);

    /// <summary>Changes the caller's first name, email or username; email and username changes need <c>current_password</c>.</summary>
    [HttpPatch("me")]
    [Consumes("application/json")]
    [ProducesResponseType<UserProfile>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, Problems.ContentType)]
    public async Task<UserProfile> UpdateMe(UpdateProfileRequest request, CancellationToken cancellationToken) =>
        await sender.Send(request.ToCommand(HttpContext.GetCaller()), cancellationToken);

    /// <summary>Changes the caller's password; every other session is revoked.</summary>
    [HttpPut("me/password")]
    [Consumes("application/json")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, Problems.ContentType)]
    public async Task<NoContentResult> ChangePassword(ChangePasswordRequest request, CancellationToken cancellationToken)
    {
        await sender.Send(request.ToCommand(HttpContext.GetCaller()), cancellationToken);
        return NoContent();
    }

    /// <summary>Deactivates the caller's account and revokes every session; login is refused afterwards.</summary>
    [HttpPost("me/deactivate")]
    [Consumes("application/json")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, Problems.ContentType)]
    public async Task<NoContentResult> DeactivateMe(DeactivateAccountRequest request, CancellationToken cancellationToken)
    {
        await sender.Send(request.ToCommand(HttpContext.GetCaller()), cancellationToken);
        return NoContent();
    }

    /// <summary>Admins: users by id, a page at a time; <c>q</c> filters by username or email prefix.</summary>
    [HttpGet]
    [Authorize(Roles = Roles.Admin)]
    [ProducesResponseType<UserPage>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, Problems.ContentType)]
    public async Task<UserPage> ListUsers([FromQuery] int? limit, [FromQuery] string? cursor, [FromQuery] string? q, CancellationToken cancellationToken) =>
        await sender.Send(new ListUsersQuery(limit, cursor, q), cancellationToken);

    /// <summary>Admins: set a user's <c>role</c> or <c>is_active</c>. The last active admin stays an active admin.</summary>
    [HttpPatch("{username}")]
    [Authorize(Roles = Roles.Admin)]
    [Consumes("application/json")]
    [ProducesResponseType<UserProfile>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    public async Task<UserProfile> UpdateUser(string username, AdminUpdateUserRequest request, CancellationToken cancellationToken) =>
        await sender.Send(request.ToCommand(HttpContext.GetCaller(), username), cancellationToken);
}
