using FluentValidation;
using Mediator;
using Microsoft.Extensions.Options;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Email;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Application.SecurityEvents;
using Paseto.Auth.Application.Users;
using Paseto.Auth.Domain.Email;
using Paseto.Auth.Domain.SecurityEvents;

namespace Paseto.Auth.Application.SecondFactor;

public sealed record DisableTotpCommand(CallerIdentity Caller, string Password, SecondFactorProof Proof) : ICommand;

public sealed class DisableTotpCommandValidator : AbstractValidator<DisableTotpCommand>
{
    public DisableTotpCommandValidator()
    {
        RuleFor(c => c.Password).CurrentPassword();
        this.SecondFactorProof(c => c.Proof);
    }
}

/// <summary>
/// Turns the caller's TOTP off, with the password and a current code (or a recovery code, or a
/// passkey's assertion). When it was the account's last factor (no passkey), the recovery codes go
/// with it and the second factor is off; a role that requires one (<c>Auth:Mfa:RequiredForRoles</c>)
/// keeps its last factor (409). With a passkey left, the recovery codes stay.
/// </summary>
public sealed class DisableTotpCommandHandler(
    IUserRepository users,
    ISecondFactorRepository factors,
    PasswordGuard passwordGuard,
    SecondFactorCheck check,
    LastFactorRule lastFactorRule,
    ISecurityEventRepository events,
    AccountMail mail,
    IUnitOfWork unitOfWork,
    IOptions<AuthOptions> options,
    TimeProvider time) : ICommandHandler<DisableTotpCommand>
{
    public async ValueTask<Unit> Handle(DisableTotpCommand command, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(command.Caller.UserId, cancellationToken)
            ?? throw new InvalidCredentialsException();
        await passwordGuard.RequireAsync(command.Caller, user, command.Password, nameof(command.Password), "disable_totp", cancellationToken);
        var factor = await factors.FindTotpAsync(user.Id, cancellationToken);
        if (factor is not { IsConfirmed: true })
        {
            throw new ConflictException("TOTP is not on for this account.");
        }

        await lastFactorRule.CheckAsync(user, options.Value.Mfa, cancellationToken);
        await check.VerifyAsync(user, command.Proof, command.Caller.Client, command.Caller.SessionId, "disable_totp", cancellationToken);
        var now = time.GetUtcNow();
        await unitOfWork.InTransactionAsync(async ct =>
        {
            var lastFactor = await lastFactorRule.CheckLockedAsync(user, options.Value.Mfa, ct);
            factors.RemoveTotp(factor);
            if (lastFactor)
            {
                await factors.ReplaceRecoveryCodesAsync(user.Id, [], now, ct);
            }

            user.SetMfaEnabled(!lastFactor, now);
            var client = command.Caller.Client;
            events.Add(SecurityEventFactory.Create(user.Id, SecurityEventTypes.MfaDisabled, now, client, command.Caller.SessionId, ("method", Domain.Users.AuthMethods.Totp), ("by", "self")));
            mail.QueueNotice(user, MailKinds.MfaDisabled, now, client);
            await unitOfWork.SaveChangesAsync(ct);
            return user.Id;
        }, cancellationToken);
        return Unit.Value;
    }
}
