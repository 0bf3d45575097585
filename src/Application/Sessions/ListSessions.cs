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
        return new SessionList(
            [.. active
                .OrderByDescending(s => s.CreatedAt)
                .Select(s => new SessionInfo(s.Id, s.CreatedAt, s.LastSeenAt, s.ExpiresAt, s.UserAgent, s.Ip, s.Id == query.Caller.SessionId))],
            [.. known.Select(d => new DeviceInfo(d.Id, d.CreatedAt, d.LastUsedAt, d.UserAgent))]);
    }
}
