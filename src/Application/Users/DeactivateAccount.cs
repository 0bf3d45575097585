using FluentValidation;
using Mediator;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Application.SecondFactor;
using Paseto.Auth.Application.SecurityEvents;
using Paseto.Auth.Domain.SecurityEvents;
using Paseto.Auth.Domain.Sessions;

namespace Paseto.Auth.Application.Users;

/// <summary>
/// The caller closes their own account: it becomes inactive, every session (this one too) is
/// revoked, and login answers the same 401 as a wrong password. An admin can reactivate it.
/// </summary>
/// <param name="Proof">With a second factor on, a current code or a recovery code too.</param>
public sealed record DeactivateAccountCommand(CallerIdentity Caller, string Password, SecondFactorProof Proof) : ICommand;

public sealed class DeactivateAccountCommandValidator : AbstractValidator<DeactivateAccountCommand>
{
    public DeactivateAccountCommandValidator()
    {
        RuleFor(c => c.Password).CurrentPassword();
        this.SecondFactorProof(c => c.Proof);
    }
}

public sealed class DeactivateAccountCommandHandler(
    IUserRepository users,
    ISessionRepository sessions,
    ISecurityEventRepository events,
    PasswordGuard passwordGuard,
    SecondFactorCheck secondFactor,
    IUnitOfWork unitOfWork,
    TimeProvider time) : ICommandHandler<DeactivateAccountCommand>
{
    public async ValueTask<Unit> Handle(DeactivateAccountCommand command, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(command.Caller.UserId, cancellationToken)
            ?? throw new InvalidCredentialsException();
        await passwordGuard.RequireAsync(command.Caller, user, command.Password, nameof(command.Password), "deactivate_account", cancellationToken);
        await secondFactor.RequireForStepUpAsync(command.Caller, user, command.Proof, "deactivate_account", cancellationToken);

        var now = time.GetUtcNow();
        await unitOfWork.InTransactionAsync(async ct =>
        {
            if (user.Role == Domain.Users.Roles.Admin && await users.LockActiveAdminsAsync(ct) <= 1)
            {
                throw new ConflictException("The last active admin cannot deactivate their account.");
            }

            // After the admins' rows (which hold this one too), so two admins leaving at once lock in one order.
            await CredentialLock.TakeAsync(users, user, ct);
            user.SetActive(false, now);
            var client = command.Caller.Client;
            events.Add(SecurityEventFactory.Create(user.Id, SecurityEventTypes.AccountDeactivated, now, client, command.Caller.SessionId, ("by", "self")));
            foreach (var revoked in await sessions.RevokeAllAsync(user.Id, null, RevokeReasons.AccountDeactivated, now, ct))
            {
                events.Add(SecurityEventFactory.SessionRevoked(user.Id, revoked, RevokeReasons.AccountDeactivated, now, client));
            }

            await unitOfWork.SaveChangesAsync(ct);
            return user.Id;
        }, cancellationToken);
        return Unit.Value;
    }
}
