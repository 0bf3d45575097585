using Mediator;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Application.Users;

/// <summary>A member's profile by username.</summary>
public sealed record GetProfileQuery(CallerIdentity Caller, string Username) : IQuery<UserProfile>;

public sealed class GetProfileQueryHandler(IUserRepository users) : IQueryHandler<GetProfileQuery, UserProfile>
{
    public async ValueTask<UserProfile> Handle(GetProfileQuery query, CancellationToken cancellationToken)
    {
        if (User.Normalize(query.Username) == User.Normalize(query.Caller.Username))
        {
            return UserProfile.From(query.Caller.Account);
        }

        var user = await users.FindByUsernameAsync(query.Username, cancellationToken);
        if (user is null)
        {
            throw new NotFoundException("No user has this username.");
        }

        // The owner and admins see the email; other members see the public part only.
        var full = user.Id == query.Caller.UserId || query.Caller.Role == Roles.Admin;
        return UserProfile.From(user, includeEmail: full);
    }
}
