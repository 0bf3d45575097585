using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Options;
using Paseto.Auth.Application;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Api.Authentication;

/// <summary>
/// The second factor of the roles in <c>Auth:Mfa:RequiredForRoles</c> (DESIGN §9): on an endpoint
/// that needs such a role (<c>[Authorize(Roles = …)]</c>), a caller with it and no factor yet is
/// refused with 403 <c>/problems/mfa-enrollment-required</c>, and one whose session's login did not
/// use the factor with 403 <c>/problems/mfa-session-required</c>. Both facts come from the bearer
/// check's one read (the user's <c>mfa_enabled</c>, the session's <c>auth_methods</c>), so the gate
/// costs no query. An action filter, after binding: a malformed request still answers its 400.
/// </summary>
internal sealed class SecondFactorRoleGate(IOptions<AuthOptions> options) : IAsyncActionFilter
{
    public Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        if (context.HttpContext.Features.Get<CallerIdentity>() is { } caller
            && options.Value.Mfa.IsRequiredFor(caller.Role)
            && RolesOf(context).Contains(caller.Role, StringComparer.Ordinal))
        {
            if (!caller.Account.MfaEnabled)
            {
                throw new ForbiddenException(
                    $"The role '{caller.Role}' needs a second factor: enrol one (POST /v1/users/me/mfa/totp), then log in with it.",
                    ForbiddenReason.MfaEnrollmentRequired);
            }

            if (!AuthMethods.IncludeSecondFactor(caller.AuthMethods ?? []))
            {
                throw new ForbiddenException(
                    $"The role '{caller.Role}' needs a session whose login used the second factor. Log in again with it.",
                    ForbiddenReason.MfaSessionRequired);
            }
        }

        return next();
    }

    private static IEnumerable<string> RolesOf(ActionExecutingContext context) =>
        context.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>()
            .SelectMany(a => (a.Roles ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
