using FluentValidation;
using Mediator;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Email;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Application.SecurityEvents;
using Paseto.Auth.Domain.Email;
using Paseto.Auth.Domain.SecurityEvents;

namespace Paseto.Auth.Application.SecondFactor;

public sealed record ConfirmTotpCommand(CallerIdentity Caller, string Code) : ICommand<RecoveryCodeSet>;

public sealed class ConfirmTotpCommandValidator : AbstractValidator<ConfirmTotpCommand>
{
    public ConfirmTotpCommandValidator() =>
        RuleFor(c => c.Code).NotEmpty().WithMessage("The code is required.").TotpCode();
}

/// <summary>
/// Turns a pending TOTP factor on with a first code from the authenticator, which proves it
/// holds the secret; the code's time step counts as used, so it cannot log in afterwards. Issues
/// the recovery codes, shown only in this answer. The user's row changes with it
/// (<c>mfa_enabled</c>), so whatever caches the account sees the change.
/// </summary>
public sealed class ConfirmTotpCommandHandler(
    IUserRepository users,
    ISecondFactorRepository factors,
    SecondFactorCheck check,
    ISecurityEventRepository events,
    AccountMail mail,
    IUnitOfWork unitOfWork,
    TimeProvider time) : ICommandHandler<ConfirmTotpCommand, RecoveryCodeSet>
{
    public async ValueTask<RecoveryCodeSet> Handle(ConfirmTotpCommand command, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(command.Caller.UserId, cancellationToken)
            ?? throw new InvalidCredentialsException();
        var factor = await factors.FindTotpAsync(user.Id, cancellationToken);
        if (factor is not { IsConfirmed: false })
        {
            throw new ConflictException("No TOTP enrolment is pending. Start one with POST /v1/users/me/mfa/totp.");
        }

        var now = time.GetUtcNow();
        if (!await check.TryTotpAsync(user.Id, command.Code, now, confirmed: false, cancellationToken))
        {
            throw new SecondFactorException(SecondFactorFailure.Wrong);
        }

        var (codes, hashes) = RecoveryCodes.Create(user.Id);
        await unitOfWork.InTransactionAsync(async ct =>
        {
            // A factor removed in parallel may have turned the flag off since the user was read.
            await users.LockAndRefreshAsync(user, ct);
            factor.Confirm(now);
            user.SetMfaEnabled(true, now);
            await factors.ReplaceRecoveryCodesAsync(user.Id, hashes, now, ct);
            var client = command.Caller.Client;
            events.Add(SecurityEventFactory.Create(user.Id, SecurityEventTypes.MfaEnabled, now, client, command.Caller.SessionId, ("method", Domain.Users.AuthMethods.Totp)));
            mail.QueueNotice(user, MailKinds.MfaEnabled, now, client);
            await unitOfWork.SaveChangesAsync(ct);
            return user.Id;
        }, cancellationToken);
        return new RecoveryCodeSet(codes);
    }
}
