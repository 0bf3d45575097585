using Mediator;
using Paseto.Auth.Application.Abstractions;

namespace Paseto.Auth.Application.Sessions;

public sealed record ListSessionsQuery(CallerIdentity Caller) : IQuery<SessionList>;

public sealed class ListSessionsQueryHandler(ISessionRepository sessions, IDeviceRepository devices, TimeProvider time) : IQueryHandler<ListSessionsQuery, SessionList>
{
    public async ValueTask<SessionList> Handle(ListSessionsQuery query, CancellationToken cancellationToken)
    {
        var active = await sessions.ListActiveAsync(query.Caller.UserId, time.GetUtcNow(), cancellationToken);
        var known = await devices.ListActiveAsync(query.Caller.UserId, cancellationToken);
        return SessionList.From(active, known, query.Caller.SessionId);
    }
}
