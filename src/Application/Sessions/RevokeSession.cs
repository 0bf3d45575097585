using Mediator;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Application.SecurityEvents;
using Paseto.Auth.Domain.Sessions;

namespace Paseto.Auth.Application.Sessions;

/// <summary>Revokes one of the caller's own sessions; anyone else's (or an ended one) is a 404.</summary>
public sealed record RevokeSessionCommand(CallerIdentity Caller, Guid SessionId) : ICommand;

public sealed class RevokeSessionCommandHandler(
    ISessionRepository sessions,
    ISecurityEventRepository events,
    IUnitOfWork unitOfWork,
    TimeProvider time) : ICommandHandler<RevokeSessionCommand>
{
    public async ValueTask<Unit> Handle(RevokeSessionCommand command, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var session = await sessions.FindAsync(command.SessionId, cancellationToken);
        if (session is null || session.UserId != command.Caller.UserId || !session.IsActive(now))
        {
            throw new NotFoundException("No active session of yours has this id.");
        }

        session.Revoke(RevokeReasons.RevokedByUser, now);
        events.Add(SecurityEventFactory.SessionRevoked(session.UserId, session.Id, RevokeReasons.RevokedByUser, now, command.Caller.Client));
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
