using Mediator;
using Paseto.Auth.Application.Abstractions;

namespace Paseto.Auth.Application.Users;

/// <summary>The caller's own profile (<c>GET /v1/users/me</c>), email included.</summary>
public sealed record GetOwnProfileQuery(CallerIdentity Caller) : IQuery<UserProfile>;

/// <summary>
/// Shows the caller's account as the profile the API returns. The read itself has already
/// happened, in the bearer check: <c>Infrastructure/Authentication/SessionReader.cs</c>
/// selects the user's row in the one round trip that finds the session alive, because it must
/// read that row anyway (an inactive user's token is refused) and the role it holds. So this
/// handler maps what is in hand and depends on nothing: <c>GET /v1/users/me</c> is the hottest
/// authenticated read, and a handler with a repository would rent a database context per request
/// only to leave it unused.
/// </summary>
public sealed class GetOwnProfileQueryHandler : IQueryHandler<GetOwnProfileQuery, UserProfile>
{
    public ValueTask<UserProfile> Handle(GetOwnProfileQuery query, CancellationToken cancellationToken) =>
        ValueTask.FromResult(UserProfile.From(query.Caller.Account));
}
