using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Paseto.Auth.Api.Authentication;
using Paseto.Auth.Api.ErrorHandling;
using Paseto.Auth.Application.Users;

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
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    public async Task<ActionResult<UserProfile>> Signup(SignupUserCommand command, CancellationToken cancellationToken)
    {
        var profile = await sender.Send(command, cancellationToken);
        return CreatedAtAction(nameof(GetByUsername), new { username = profile.Username }, profile);
    }

    /// <summary>The caller's own profile.</summary>
    [HttpGet("me")]
    [ProducesResponseType<UserProfile>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, Problems.ContentType)]
    public async Task<UserProfile> GetMe(CancellationToken cancellationToken) =>
        await sender.Send(new GetProfileQuery(HttpContext.GetCaller(), null), cancellationToken);

    /// <summary>A member's profile page: the owner and admins see the email, other members do not.</summary>
    [HttpGet("{username}")]
    [ProducesResponseType<UserProfile>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public async Task<UserProfile> GetByUsername(string username, CancellationToken cancellationToken) =>
        await sender.Send(new GetProfileQuery(HttpContext.GetCaller(), username), cancellationToken);
}
