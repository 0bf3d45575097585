using Mediator;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Email;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Application.SecurityEvents;
using Paseto.Auth.Domain.Email;
using Paseto.Auth.Domain.SecurityEvents;

namespace Paseto.Auth.Application.SecondFactor;

/// <summary>An admin removes every second factor (and the recovery codes) of a user who lost them.</summary>
public sealed record RemoveUserFactorsCommand(CallerIdentity Caller, string Username) : ICommand;

/// <summary>
/// The way back for a user locked out by a lost authenticator and lost recovery codes: an admin
/// removes the factors; the user logs in with the password alone and may enrol again. Recorded in
/// the user's history (naming the admin) and mailed to the user. An admin cannot do it to
/// themselves this way (their factor would leave with the check that let them in).
/// </summary>
public sealed class RemoveUserFactorsCommandHandler(
    IUserRepository users,
    ISecondFactorRepository factors,
    ISecurityEventRepository events,
    AccountMail mail,
    IUnitOfWork unitOfWork,
    TimeProvider time) : ICommandHandler<RemoveUserFactorsCommand>
{
    public async ValueTask<Unit> Handle(RemoveUserFactorsCommand command, CancellationToken cancellationToken)
    {
        var user = await users.FindByUsernameAsync(command.Username, cancellationToken)
            ?? throw new NotFoundException("No such user.");
        if (user.Id == command.Caller.UserId)
        {
            throw new ConflictException("Admins remove their own factor with POST /v1/users/me/mfa/totp/disable.");
        }

        if (!user.MfaEnabled)
        {
            throw new ConflictException("The user has no second factor.");
        }

        var now = time.GetUtcNow();
        await unitOfWork.InTransactionAsync(async ct =>
        {
            await factors.DeleteAllAsync(user.Id, ct);
            user.SetMfaEnabled(false, now);
            var client = command.Caller.Client;
            events.Add(SecurityEventFactory.Create(user.Id, SecurityEventTypes.MfaDisabled, now, client, null, ("by", "admin"), ("admin", command.Caller.Username)));
            mail.QueueNotice(user, MailKinds.MfaDisabled, now, client);
            await unitOfWork.SaveChangesAsync(ct);
            return user.Id;
        }, cancellationToken);
        return Unit.Value;
    }
}
