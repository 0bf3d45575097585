using Mediator;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.SecurityEvents;
using Paseto.Auth.Domain.SecurityEvents;
using Paseto.Auth.Domain.Sessions;

namespace Paseto.Auth.Application.Auth;

/// <summary>Ends the caller's current session; its access and refresh tokens stop working at once.</summary>
public sealed record LogoutCommand(CallerIdentity Caller) : ICommand;

public sealed class LogoutCommandHandler(
    ISessionRepository sessions,
    ISecurityEventRepository events,
    IUnitOfWork unitOfWork,
    TimeProvider time) : ICommandHandler<LogoutCommand>
{
    public async ValueTask<Unit> Handle(LogoutCommand command, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await unitOfWork.InTransactionAsync(async ct =>
        {
            if (await sessions.RevokeNowAsync(command.Caller.SessionId, RevokeReasons.Logout, now, ct) is not null)
            {
                events.Add(SecurityEventFactory.Create(command.Caller.UserId, SecurityEventTypes.Logout, now, command.Caller.Client, command.Caller.SessionId));
                await unitOfWork.SaveChangesAsync(ct);
            }

            return Unit.Value;
        }, cancellationToken);
        return Unit.Value;
    }
}
