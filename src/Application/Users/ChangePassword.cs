using FluentValidation;
using Mediator;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Events;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Domain.Events;
using Paseto.Auth.Domain.Sessions;

namespace Paseto.Auth.Application.Users;

/// <summary>
/// Changes the caller's password. Every other session is revoked: whoever else held the old
/// password, or a token made with it, is out; the session making the change stays.
/// </summary>
public sealed record ChangePasswordCommand(CallerIdentity Caller, string CurrentPassword, string NewPassword) : ICommand;

public sealed class ChangePasswordCommandValidator : AbstractValidator<ChangePasswordCommand>
{
    public ChangePasswordCommandValidator(IPasswordBlocklist blocklist)
    {
        RuleFor(c => c.CurrentPassword).NotEmpty().WithMessage("The current password is required.")
            .MaximumLength(PasswordRules.PresentedMaxLength).WithMessage("The password is too long.");
        RuleFor(c => c.NewPassword).Password(c => [c.Caller.Username, c.Caller.Profile.Email], blocklist);
    }
}

public sealed class ChangePasswordCommandHandler(
    IUserRepository users,
    ISessionRepository sessions,
    ISecurityEventRepository events,
    IPasswordHasher passwordHasher,
    IUnitOfWork unitOfWork,
    TimeProvider time) : ICommandHandler<ChangePasswordCommand>
{
    public async ValueTask<Unit> Handle(ChangePasswordCommand command, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(command.Caller.UserId, cancellationToken)
            ?? throw new InvalidCredentialsException();
        await PasswordGuard.RequireAsync(passwordHasher, user, command.CurrentPassword, nameof(command.CurrentPassword), cancellationToken);

        var hash = await passwordHasher.HashAsync(command.NewPassword, cancellationToken);
        var now = time.GetUtcNow();
        await unitOfWork.InTransactionAsync(async ct =>
        {
            user.ReplacePasswordHash(hash, now);
            var client = command.Caller.Client;
            events.Add(SecurityEventFactory.Create(user.Id, SecurityEventTypes.PasswordChanged, now, client, command.Caller.SessionId));
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
