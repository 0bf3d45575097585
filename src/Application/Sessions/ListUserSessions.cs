using Mediator;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Exceptions;

namespace Paseto.Auth.Application.Sessions;

/// <summary>Admins: a user's active sessions and known devices, as the user sees them in <see cref="ListSessionsQuery"/>.</summary>
public sealed record ListUserSessionsQuery(CallerIdentity Caller, string Username) : IQuery<SessionList>;

public sealed class ListUserSessionsQueryHandler(IUserRepository users, ISessionRepository sessions, IDeviceRepository devices, TimeProvider time)
    : IQueryHandler<ListUserSessionsQuery, SessionList>
{
    public async ValueTask<SessionList> Handle(ListUserSessionsQuery query, CancellationToken cancellationToken)
    {
        var user = await users.FindByUsernameAsync(query.Username, cancellationToken)
            ?? throw new NotFoundException("No user has this username.");
        var active = await sessions.ListActiveAsync(user.Id, time.GetUtcNow(), cancellationToken);
        var known = await devices.ListActiveAsync(user.Id, cancellationToken);
        // current marks the admin's own session, which is there only when admins list themselves.
        return SessionList.From(active, known, query.Caller.SessionId);
    }
}
