using FluentValidation;
using Mediator;
using Microsoft.Extensions.Options;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Email;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Application.SecondFactor;
using Paseto.Auth.Application.SecurityEvents;
using Paseto.Auth.Domain.Email;
using Paseto.Auth.Domain.SecurityEvents;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Application.Passkeys;

public sealed record RemovePasskeyCommand(CallerIdentity Caller, Guid Id, SecondFactorProof Proof) : ICommand;

public sealed class RemovePasskeyCommandValidator : AbstractValidator<RemovePasskeyCommand>
{
    public RemovePasskeyCommandValidator() => this.SecondFactorProof(c => c.Proof);
}

/// <summary>
/// Removes one of the caller's passkeys, with a second factor (a passkey is one, so there always
/// is): a TOTP code, a recovery code, or a fresh assertion of one of the account's passkeys. The
/// account's last factor goes with the recovery codes, unless the role requires a factor
/// (<c>Auth:Mfa:RequiredForRoles</c>, 409). Another user's id is not found (404).
/// </summary>
public sealed class RemovePasskeyCommandHandler(
    IUserRepository users,
    IPasskeyRepository passkeys,
    ISecondFactorRepository factors,
    SecondFactorCheck check,
    LastFactorRule lastFactorRule,
    ISecurityEventRepository events,
    AccountMail mail,
    IUnitOfWork unitOfWork,
    IOptions<AuthOptions> options,
    TimeProvider time) : ICommandHandler<RemovePasskeyCommand>
{
    public async ValueTask<Unit> Handle(RemovePasskeyCommand command, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(command.Caller.UserId, cancellationToken)
            ?? throw new InvalidCredentialsException();
        var passkey = await passkeys.FindAsync(user.Id, command.Id, cancellationToken)
            ?? throw new NotFoundException("No such passkey.");
        await lastFactorRule.CheckAsync(user, options.Value.Mfa, cancellationToken);
        await check.VerifyAsync(user, command.Proof, command.Caller.Client, command.Caller.SessionId, "remove_passkey", cancellationToken);
        var now = time.GetUtcNow();
        await unitOfWork.InTransactionAsync(async ct =>
        {
            var lastFactor = await lastFactorRule.CheckLockedAsync(user, options.Value.Mfa, ct);
            passkeys.Remove(passkey);
            var client = command.Caller.Client;
            if (lastFactor)
            {
                await factors.ReplaceRecoveryCodesAsync(user.Id, [], now, ct);
                events.Add(SecurityEventFactory.Create(user.Id, SecurityEventTypes.MfaDisabled, now, client, command.Caller.SessionId, ("method", AuthMethods.Passkey), ("by", "self")));
            }

            // The row changes with every factor change, for whatever caches the account.
            user.SetMfaEnabled(!lastFactor, now);
            events.Add(SecurityEventFactory.Create(user.Id, SecurityEventTypes.PasskeyRemoved, now, client, command.Caller.SessionId, ("passkey_id", passkey.Id), ("name", passkey.Name)));
            mail.QueueNotice(user, MailKinds.PasskeyRemoved, now, client, null, ("passkey_name", passkey.Name));
            await unitOfWork.SaveChangesAsync(ct);
            return user.Id;
        }, cancellationToken);
        return Unit.Value;
    }
}
