using FluentValidation;
using Mediator;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.SecurityEvents;
using Paseto.Auth.Domain.Email;
using Paseto.Auth.Domain.SecurityEvents;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Application.Email;

/// <summary>
/// Uses the token of the notice sent to the old address when an email change was asked for:
/// the change is dropped and the confirmation sent to the new address stops working. Works only
/// while the change waits; the notice tells the owner to reset the password too.
/// </summary>
public sealed record CancelEmailChangeCommand(string Token, ClientInfo Client) : ICommand;

public sealed class CancelEmailChangeCommandValidator : AbstractValidator<CancelEmailChangeCommand>
{
    public CancelEmailChangeCommandValidator() => RuleFor(c => c.Token).NotEmpty().WithMessage("A token is required.");
}

public sealed class CancelEmailChangeCommandHandler(
    IUserRepository users,
    IEmailTokenRepository tokens,
    ISecurityEventRepository events,
    IUnitOfWork unitOfWork,
    TimeProvider time) : ICommandHandler<CancelEmailChangeCommand>
{
    private static readonly string[] _purposes = [EmailTokenPurposes.CancelEmailChange];

    public async ValueTask<Unit> Handle(CancelEmailChangeCommand command, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var token = await EmailTokenCheck.FindAsync(tokens, command.Token, now, _purposes, cancellationToken);
        await unitOfWork.InTransactionAsync(async ct =>
        {
            await users.LockAsync(token.UserId, ct);
            var user = await users.FindByIdAsync(token.UserId, ct);
            if (user is not { PendingEmail: { } pending } || user.NormalizedEmail != User.Normalize(token.Address)
                || !await tokens.TryUseAsync(token.Id, now, ct))
            {
                throw EmailTokenCheck.Invalid();
            }

            user.CancelEmailChange(now);
            await tokens.KillAllAsync(user.Id, EmailTokenPurposes.ChangeEmail, now, ct);
            events.Add(SecurityEventFactory.Create(user.Id, SecurityEventTypes.EmailChangeCancelled, now, command.Client, null,
                ("new", SecurityEventFactory.MaskEmail(pending))));
            await unitOfWork.SaveChangesAsync(ct);
            return user.Id;
        }, cancellationToken);
        return Unit.Value;
    }
}
