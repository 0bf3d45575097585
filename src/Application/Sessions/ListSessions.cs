using Mediator;
using Paseto.Auth.Application.Abstractions;

namespace Paseto.Auth.Application.Sessions;

public sealed record ListSessionsQuery(CallerIdentity Caller) : IQuery<SessionList>;

public sealed class ListSessionsQueryHandler(ISessionListReader lists, TimeProvider time) : IQueryHandler<ListSessionsQuery, SessionList>
{
    public async ValueTask<SessionList> Handle(ListSessionsQuery query, CancellationToken cancellationToken) =>
        await lists.ReadAsync(query.Caller.UserId, time.GetUtcNow(), query.Caller.SessionId, cancellationToken);
}
