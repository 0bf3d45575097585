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
[Route("v1/token/introspect")]
[Produces("application/json")]
public sealed class IntrospectionController(ISender sender) : ControllerBase
{
    private const string FormContentType = "application/x-www-form-urlencoded";

    /// <summary>Tells a resource server whether an access token is to be honoured now (RFC 7662).</summary>
    /// <remarks>
    /// Authenticated with a resource server's credential in HTTP Basic (<c>Introspection:Clients</c>);
    /// the body is the form <c>token=…</c> (a <c>token_type_hint</c> is ignored: only access tokens are ever active). The token
    /// gets the checks of a bearer request, its session included, and the answer is
    /// <c>{"active": true, sub, sid, username, role, iss, aud, exp, iat, jti}</c> (<c>exp</c> and
    /// <c>iat</c> as seconds since the epoch; <c>username</c> and <c>role</c> as they are now) or
    /// <c>{"active": false}</c> for anything else: expired, revoked, malformed, a refresh token,
    /// another audience. Throttled per client (<c>Introspection:RequestsPerMinute</c>).
    /// </remarks>
    /// <param name="token">The access token to check.</param>
    /// <param name="cancellationToken">The request's cancellation.</param>
    [HttpPost]
    [AllowAnonymous]
    [Consumes(FormContentType)]
    [AlsoAccepts(FormContentType, typeof(IntrospectionForm))]
    [SecurityScheme(OpenApiSetup.IntrospectionClientScheme)]
    [ProducesResponseType<IntrospectionResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, Problems.ContentType)]
    public async Task<IntrospectionResponse> Introspect(
        [FromForm(Name = "token")] string? token,
        CancellationToken cancellationToken)
    {
        // The answer speaks of a token's liveness at this instant: no cache may keep it (RFC 7662 §4).
        Response.Headers.CacheControl = "no-store";
        var hasCredential = BasicCredentials.TryRead(Request.Headers.Authorization, out var id, out var secret);
        return await sender.Send(
            new IntrospectionForm(token ?? string.Empty, null).ToCommand(hasCredential ? id : null, hasCredential ? secret : null),
            cancellationToken);
    }
}
