using FluentValidation;
using Mediator;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.SecurityEvents;
using Paseto.Auth.Domain.Email;
using Paseto.Auth.Domain.SecurityEvents;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Application.Email;

/// <summary>
/// Uses a link's token (POST, never GET: mail scanners fetch links): a verification token marks
/// the current address verified; an email-change token makes the pending address the account's
/// email, the uniqueness checked again by the database (409 when another account took it since).
/// </summary>
public sealed record VerifyEmailCommand(string Token, ClientInfo Client) : ICommand;

public sealed class VerifyEmailCommandValidator : AbstractValidator<VerifyEmailCommand>
{
    public VerifyEmailCommandValidator() => RuleFor(c => c.Token).NotEmpty().WithMessage("A token is required.");
}

public sealed class VerifyEmailCommandHandler(
    IUserRepository users,
    IEmailTokenRepository tokens,
    ISecurityEventRepository events,
    IUnitOfWork unitOfWork,
    TimeProvider time) : ICommandHandler<VerifyEmailCommand>
{
    private static readonly string[] _purposes = [EmailTokenPurposes.VerifyEmail, EmailTokenPurposes.ChangeEmail];

    public async ValueTask<Unit> Handle(VerifyEmailCommand command, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var token = await EmailTokenCheck.FindAsync(tokens, command.Token, now, _purposes, cancellationToken);
        await unitOfWork.InTransactionAsync(async ct =>
        {
            // Under the user's row lock: a verify and an email change of one account take turns.
            await users.LockAsync(token.UserId, ct);
            var user = await users.FindByIdAsync(token.UserId, ct);
            var address = User.Normalize(token.Address);
            var fits = token.Purpose == EmailTokenPurposes.VerifyEmail
                ? user?.NormalizedEmail == address
                : user?.PendingEmail is { } pending && User.Normalize(pending) == address;
            // A token for an address the account no longer has (or waits on) proves nothing.
            if (user is null || !fits || !await tokens.TryUseAsync(token.Id, now, ct))
            {
                throw EmailTokenCheck.Invalid();
            }

            if (token.Purpose == EmailTokenPurposes.VerifyEmail)
            {
                user.MarkEmailVerified(now);
                events.Add(SecurityEventFactory.Create(user.Id, SecurityEventTypes.EmailVerified, now, command.Client, null,
                    ("email", SecurityEventFactory.MaskEmail(user.Email))));
            }
            else
            {
                var old = user.Email;
                user.ConfirmEmailChange(now);
                await tokens.KillAllAsync(user.Id, EmailTokenPurposes.CancelEmailChange, now, ct);
                events.Add(SecurityEventFactory.Create(user.Id, SecurityEventTypes.EmailChanged, now, command.Client, null,
                    ("old", SecurityEventFactory.MaskEmail(old)), ("new", SecurityEventFactory.MaskEmail(user.Email))));
            }

            // The unique index on the normalised email decides a switch to a taken address: 409, and nothing is spent.
            await unitOfWork.SaveChangesAsync(ct);
            return user.Id;
        }, cancellationToken);
        return Unit.Value;
    }
}
