using Mediator;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Domain.Sessions;

namespace Paseto.Auth.Application.Auth;

/// <summary>Ends the caller's current session; its access and refresh tokens stop working at once.</summary>
public sealed record LogoutCommand(CallerIdentity Caller) : ICommand;

public sealed class LogoutCommandHandler(ISessionRepository sessions, TimeProvider time) : ICommandHandler<LogoutCommand>
{
    public async ValueTask<Unit> Handle(LogoutCommand command, CancellationToken cancellationToken)
    {
        await sessions.RevokeNowAsync(command.Caller.SessionId, RevokeReasons.Logout, time.GetUtcNow(), cancellationToken);
        return Unit.Value;
    }
}
