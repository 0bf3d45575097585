using FluentValidation;
using Mediator;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Application.Users;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Application.SecondFactor;

public sealed record EnrollTotpCommand(CallerIdentity Caller, string Password) : ICommand<TotpEnrollment>;

public sealed class EnrollTotpCommandValidator : AbstractValidator<EnrollTotpCommand>
{
    public EnrollTotpCommandValidator() => RuleFor(c => c.Password).CurrentPassword();
}

/// <summary>
/// Starts a TOTP enrolment: a fresh secret, sealed for storage, as a pending factor that counts
/// for nothing until a code confirms it. A pending enrolment asked for again is replaced; an
/// account whose TOTP is on must disable it first (409). The secret leaves the service only in
/// this answer.
/// </summary>
public sealed class EnrollTotpCommandHandler(
    IUserRepository users,
    ISecondFactorRepository factors,
    PasswordGuard passwordGuard,
    ITotp totp,
    IFactorSecretSealer sealer,
    IUnitOfWork unitOfWork,
    TimeProvider time) : ICommandHandler<EnrollTotpCommand, TotpEnrollment>
{
    public async ValueTask<TotpEnrollment> Handle(EnrollTotpCommand command, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(command.Caller.UserId, cancellationToken)
            ?? throw new InvalidCredentialsException();
        await passwordGuard.RequireAsync(command.Caller, user, command.Password, nameof(command.Password), "enroll_totp", cancellationToken);

        var now = time.GetUtcNow();
        if (await factors.FindTotpAsync(user.Id, cancellationToken) is { } existing)
        {
            if (existing.IsConfirmed)
            {
                throw new ConflictException("TOTP is on for this account already. Disable it first to enrol another authenticator.");
            }

            factors.RemoveTotp(existing);
            await unitOfWork.SaveChangesAsync(cancellationToken);
        }

        var secret = totp.NewSecret();
        try
        {
            var id = Guid.CreateVersion7(now);
            var sealedSecret = sealer.Seal(secret, user.Id, id);
            factors.AddTotp(TotpFactor.Start(id, user.Id, sealedSecret.Ciphertext, sealedSecret.KeyId, now));
            await unitOfWork.SaveChangesAsync(cancellationToken);
            return totp.Describe(secret, user.Username);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(secret);
        }
    }
}
