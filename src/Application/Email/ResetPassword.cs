using FluentValidation;
using Mediator;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Application.SecondFactor;
using Paseto.Auth.Application.SecurityEvents;
using Paseto.Auth.Application.Users;
using Paseto.Auth.Domain.Email;
using Paseto.Auth.Domain.SecurityEvents;
using Paseto.Auth.Domain.Sessions;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Application.Email;

/// <param name="Proof">For an account with a second factor, a current code or a recovery code (DESIGN §8, ASVS 6.4.3).</param>
public sealed record ResetPasswordCommand(string Token, string NewPassword, SecondFactorProof Proof, ClientInfo Client) : ICommand;

public sealed class ResetPasswordCommandValidator : AbstractValidator<ResetPasswordCommand>
{
    public ResetPasswordCommandValidator(IPasswordBlocklist blocklist)
    {
        RuleFor(c => c.Token).NotEmpty().WithMessage("A token is required.");
        // The account's identifiers are known only once the token is found: the handler checks those.
        RuleFor(c => c.NewPassword).Password(_ => [], blocklist);
        this.SecondFactorProof(c => c.Proof);
    }
}

/// <summary>
/// Sets a new password with a reset link's token: every session ends (whoever held the old
/// password is out, the person resetting too, who logs in afresh), every other reset link dies,
/// and the address the link reached counts as verified.
/// </summary>
public sealed class ResetPasswordCommandHandler(
    IUserRepository users,
    IEmailTokenRepository tokens,
    ISessionRepository sessions,
    ISecurityEventRepository events,
    IPasswordHasher passwordHasher,
    SecondFactorCheck secondFactor,
    AccountMail mail,
    IUnitOfWork unitOfWork,
    TimeProvider time) : ICommandHandler<ResetPasswordCommand>
{
    private static readonly string[] _purposes = [EmailTokenPurposes.ResetPassword];

    public async ValueTask<Unit> Handle(ResetPasswordCommand command, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var token = await EmailTokenCheck.FindAsync(tokens, command.Token, now, _purposes, cancellationToken);
        var user = await users.FindByIdAsync(token.UserId, cancellationToken);
        if (user is not { IsActive: true })
        {
            throw EmailTokenCheck.Invalid();
        }

        if (PasswordRules.MatchesAny(command.NewPassword, [user.Username, user.Email]))
        {
            throw new RequestValidationException(new Dictionary<string, string[]>(StringComparer.Ordinal)
            {
                [nameof(command.NewPassword)] = ["The password must not be the username or the email."],
            });
        }

        // The second factor (DESIGN §9) is checked here, before anything is spent or hashed: an
        // account with one also needs a TOTP code or a recovery code, and without it this answers
        // 401 and the token stays usable. A mailbox alone must not open such an account.
        if (user.MfaEnabled)
        {
            await secondFactor.VerifyAsync(user, command.Proof, command.Client, null, "reset_password", cancellationToken);
        }

        var hash = await passwordHasher.HashAsync(command.NewPassword, cancellationToken);
        await unitOfWork.InTransactionAsync(async ct =>
        {
            // The lock a login takes to start its session: none that verified the old password survives.
            await CredentialLock.TakeAsync(users, user, ct);
            if (!await tokens.TryUseAsync(token.Id, now, ct))
            {
                throw EmailTokenCheck.Invalid();
            }

            user.ChangePassword(hash, now);
            if (User.Normalize(token.Address) == user.NormalizedEmail)
            {
                user.MarkEmailVerified(now);
            }

            await tokens.KillAllAsync(user.Id, EmailTokenPurposes.ResetPassword, now, ct);
            var client = command.Client;
            events.Add(SecurityEventFactory.Create(user.Id, SecurityEventTypes.PasswordReset, now, client, null));
            foreach (var revoked in await sessions.RevokeAllAsync(user.Id, null, RevokeReasons.PasswordChanged, now, ct))
            {
                events.Add(SecurityEventFactory.SessionRevoked(user.Id, revoked, RevokeReasons.PasswordChanged, now, client));
            }

            mail.QueueNotice(user, MailKinds.PasswordReset, now, client);
            await unitOfWork.SaveChangesAsync(ct);
            return user.Id;
        }, cancellationToken);
        return Unit.Value;
    }
}
