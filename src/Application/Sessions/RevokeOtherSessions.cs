using Mediator;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.SecurityEvents;
using Paseto.Auth.Domain.Sessions;

namespace Paseto.Auth.Application.Sessions;

/// <summary>Revokes every session of the caller except the one the request came with.</summary>
public sealed record RevokeOtherSessionsCommand(CallerIdentity Caller) : ICommand;

public sealed class RevokeOtherSessionsCommandHandler(
    ISessionRepository sessions,
    ISecurityEventRepository events,
    IUnitOfWork unitOfWork,
    TimeProvider time) : ICommandHandler<RevokeOtherSessionsCommand>
{
    public async ValueTask<Unit> Handle(RevokeOtherSessionsCommand command, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var session in await sessions.ListActiveAsync(command.Caller.UserId, now, cancellationToken))
        {
            if (session.Id != command.Caller.SessionId)
            {
                session.Revoke(RevokeReasons.RevokedByUser, now);
                events.Add(SecurityEventFactory.SessionRevoked(session.UserId, session.Id, RevokeReasons.RevokedByUser, now, command.Caller.Client));
            }
        }

        await unitOfWork.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
