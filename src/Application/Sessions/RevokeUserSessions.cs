using Mediator;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Application.SecurityEvents;
using Paseto.Auth.Domain.SecurityEvents;
using Paseto.Auth.Domain.Sessions;

namespace Paseto.Auth.Application.Sessions;

/// <summary>
/// Admins: ends every active session of a user at once (ASVS 7.4.5), for a stolen device or an
/// account under attack. Each session gets its <c>session_revoked</c> event (reason
/// <c>revoked_by_admin</c>) and the user's history one <c>sessions_revoked_by_admin</c> naming the
/// admin and the count. Its tokens stop working at once: the bearer check reads the session on
/// every request. The account stays active and may log in again (deactivate it to stop that).
/// </summary>
public sealed record RevokeUserSessionsCommand(CallerIdentity Caller, string Username) : ICommand;

public sealed class RevokeUserSessionsCommandHandler(
    IUserRepository users,
    ISessionRepository sessions,
    ISecurityEventRepository events,
    IUnitOfWork unitOfWork,
    TimeProvider time) : ICommandHandler<RevokeUserSessionsCommand>
{
    public async ValueTask<Unit> Handle(RevokeUserSessionsCommand command, CancellationToken cancellationToken)
    {
        var user = await users.FindByUsernameAsync(command.Username, cancellationToken)
            ?? throw new NotFoundException("No user has this username.");
        var now = time.GetUtcNow();
        var client = command.Caller.Client;
        await unitOfWork.InTransactionAsync(async ct =>
        {
            // The lock a login takes to start its session (SessionIssuer): one racing this either
            // committed first, and its session is revoked here, or starts after, as a new login.
            await users.LockAsync(user.Id, ct);
            var revoked = await sessions.RevokeAllAsync(user.Id, null, RevokeReasons.RevokedByAdmin, now, ct);
            foreach (var session in revoked)
            {
                events.Add(SecurityEventFactory.SessionRevoked(user.Id, session, RevokeReasons.RevokedByAdmin, now, client));
            }

            events.Add(SecurityEventFactory.Create(
                user.Id, SecurityEventTypes.SessionsRevokedByAdmin, now, client, null, ("count", revoked.Count), ("by", command.Caller.Username)));
            await unitOfWork.SaveChangesAsync(ct);
            return Unit.Value;
        }, cancellationToken);
        return Unit.Value;
    }
}
