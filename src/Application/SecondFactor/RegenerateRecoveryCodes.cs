using FluentValidation;
using Mediator;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Email;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Application.SecurityEvents;
using Paseto.Auth.Application.Users;
using Paseto.Auth.Domain.Email;
using Paseto.Auth.Domain.SecurityEvents;

namespace Paseto.Auth.Application.SecondFactor;

public sealed record RegenerateRecoveryCodesCommand(CallerIdentity Caller, string Password, SecondFactorProof Proof) : ICommand<RecoveryCodeSet>;

public sealed class RegenerateRecoveryCodesCommandValidator : AbstractValidator<RegenerateRecoveryCodesCommand>
{
    public RegenerateRecoveryCodesCommandValidator()
    {
        RuleFor(c => c.Password).CurrentPassword();
        this.SecondFactorProof(c => c.Proof);
    }
}

/// <summary>A new set of recovery codes, with the password and a current code; every code of the old set stops working.</summary>
public sealed class RegenerateRecoveryCodesCommandHandler(
    IUserRepository users,
    ISecondFactorRepository factors,
    PasswordGuard passwordGuard,
    SecondFactorCheck check,
    ISecurityEventRepository events,
    AccountMail mail,
    IUnitOfWork unitOfWork,
    TimeProvider time) : ICommandHandler<RegenerateRecoveryCodesCommand, RecoveryCodeSet>
{
    public async ValueTask<RecoveryCodeSet> Handle(RegenerateRecoveryCodesCommand command, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(command.Caller.UserId, cancellationToken)
            ?? throw new InvalidCredentialsException();
        await passwordGuard.RequireAsync(command.Caller, user, command.Password, nameof(command.Password), "regenerate_recovery_codes", cancellationToken);
        if (!user.MfaEnabled)
        {
            throw new ConflictException("The account has no second factor, so it has no recovery codes.");
        }

        await check.VerifyAsync(user, command.Proof, command.Caller.Client, command.Caller.SessionId, "regenerate_recovery_codes", cancellationToken);
        var now = time.GetUtcNow();
        var (codes, hashes) = RecoveryCodes.Create(user.Id);
        await unitOfWork.InTransactionAsync(async ct =>
        {
            await factors.ReplaceRecoveryCodesAsync(user.Id, hashes, now, ct);
            // The row changes with every factor change, for whatever caches the account.
            user.SetMfaEnabled(true, now);
            var client = command.Caller.Client;
            events.Add(SecurityEventFactory.Create(user.Id, SecurityEventTypes.RecoveryCodesRegenerated, now, client, command.Caller.SessionId));
            mail.QueueNotice(user, MailKinds.RecoveryCodesRegenerated, now, client);
            await unitOfWork.SaveChangesAsync(ct);
            return user.Id;
        }, cancellationToken);
        return new RecoveryCodeSet(codes);
    }
}
