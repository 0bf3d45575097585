using Mediator;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Exceptions;

namespace Paseto.Auth.Application.Sessions;

/// <summary>Admins: a user's active sessions and known devices, as the user sees them in <see cref="ListSessionsQuery"/>.</summary>
public sealed record ListUserSessionsQuery(CallerIdentity Caller, string Username) : IQuery<SessionList>;

public sealed class ListUserSessionsQueryHandler(IUserRepository users, ISessionListReader lists, TimeProvider time)
    : IQueryHandler<ListUserSessionsQuery, SessionList>
{
    public async ValueTask<SessionList> Handle(ListUserSessionsQuery query, CancellationToken cancellationToken)
    {
        var user = await users.FindByUsernameAsync(query.Username, cancellationToken)
            ?? throw new NotFoundException("No user has this username.");
        // current marks the admin's own session, which is there only when admins list themselves.
        return await lists.ReadAsync(user.Id, time.GetUtcNow(), query.Caller.SessionId, cancellationToken);
    }
}
