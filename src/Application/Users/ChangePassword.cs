using FluentValidation;
using Mediator;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Email;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Application.SecondFactor;
using Paseto.Auth.Application.SecurityEvents;
using Paseto.Auth.Domain.Email;
using Paseto.Auth.Domain.SecurityEvents;
using Paseto.Auth.Domain.Sessions;

namespace Paseto.Auth.Application.Users;

/// <summary>
/// Changes the caller's password. Every other session is revoked: whoever else held the old
/// password, or a token made with it, is out; the session making the change stays.
/// </summary>
/// <param name="Proof">With a second factor on, a current code or a recovery code too.</param>
public sealed record ChangePasswordCommand(CallerIdentity Caller, string CurrentPassword, string NewPassword, SecondFactorProof Proof) : ICommand;

public sealed class ChangePasswordCommandValidator : AbstractValidator<ChangePasswordCommand>
{
    public ChangePasswordCommandValidator(IPasswordBlocklist blocklist)
    {
        RuleFor(c => c.CurrentPassword).NotEmpty().WithMessage("The current password is required.")
            .MaximumLength(PasswordRules.PresentedMaxLength).WithMessage("The password is too long.");
        RuleFor(c => c.NewPassword).Password(c => [c.Caller.Username, c.Caller.Account.Email], blocklist);
        this.SecondFactorProof(c => c.Proof);
    }
}

public sealed class ChangePasswordCommandHandler(
    IUserRepository users,
    ISessionRepository sessions,
    ISecurityEventRepository events,
    IPasswordHasher passwordHasher,
    PasswordGuard passwordGuard,
    SecondFactorCheck secondFactor,
    AccountMail mail,
    IUnitOfWork unitOfWork,
    TimeProvider time) : ICommandHandler<ChangePasswordCommand>
{
    public async ValueTask<Unit> Handle(ChangePasswordCommand command, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(command.Caller.UserId, cancellationToken)
            ?? throw new InvalidCredentialsException();
        await passwordGuard.RequireAsync(command.Caller, user, command.CurrentPassword, nameof(command.CurrentPassword), "change_password", cancellationToken);
        await secondFactor.RequireForStepUpAsync(command.Caller, user, command.Proof, "change_password", cancellationToken);

        var hash = await passwordHasher.HashAsync(command.NewPassword, cancellationToken);
        var now = time.GetUtcNow();
        await unitOfWork.InTransactionAsync(async ct =>
        {
            // Under the lock a login takes to start its session (SessionIssuer): every login that
            // verified the old password has either committed its session, revoked below, or will
            // find the stamp changed.
            await CredentialLock.TakeAsync(users, user, ct);
            user.ChangePassword(hash, now);
            var client = command.Caller.Client;
            events.Add(SecurityEventFactory.Create(user.Id, SecurityEventTypes.PasswordChanged, now, client, command.Caller.SessionId));
            mail.QueueNotice(user, MailKinds.PasswordChanged, now, client);
            foreach (var revoked in await sessions.RevokeAllAsync(user.Id, command.Caller.SessionId, RevokeReasons.PasswordChanged, now, ct))
            {
                events.Add(SecurityEventFactory.SessionRevoked(user.Id, revoked, RevokeReasons.PasswordChanged, now, client));
            }

            await unitOfWork.SaveChangesAsync(ct);
            return user.Id;
        }, cancellationToken);
        return Unit.Value;
    }
}
