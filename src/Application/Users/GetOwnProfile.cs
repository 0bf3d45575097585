using Mediator;
using Paseto.Auth.Application.Abstractions;

namespace Paseto.Auth.Application.Users;

/// <summary>The caller's own profile: read with the session check, so it needs no further query.</summary>
public sealed record GetOwnProfileQuery(CallerIdentity Caller) : IQuery<UserProfile>;

/// <summary>
/// Depends on nothing: <c>GET /v1/users/me</c> is the hottest authenticated read, and a handler
/// with a repository would rent a database context per request only to leave it unused.
/// </summary>
public sealed class GetOwnProfileQueryHandler : IQueryHandler<GetOwnProfileQuery, UserProfile>
{
    public ValueTask<UserProfile> Handle(GetOwnProfileQuery query, CancellationToken cancellationToken) =>
        ValueTask.FromResult(query.Caller.Profile);
}
