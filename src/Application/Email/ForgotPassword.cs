using FluentValidation;
using Mediator;
using Microsoft.Extensions.Options;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Common;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Application.SecurityEvents;
using Paseto.Auth.Application.Users;
using Paseto.Auth.Domain.Email;
using Paseto.Auth.Domain.SecurityEvents;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Application.Email;

public sealed record ForgotPasswordCommand(string Email, ClientInfo Client) : ICommand<ForgotPasswordResponse>;

/// <summary>The one answer of a reset request, whether or not the address has an account.</summary>
public sealed record ForgotPasswordResponse(string Detail)
{
    public static readonly ForgotPasswordResponse Accepted =
        new("If an account has this address, a link to reset its password is on its way. It works once and expires soon.");
}

public sealed class ForgotPasswordCommandValidator : AbstractValidator<ForgotPasswordCommand>
{
    public ForgotPasswordCommandValidator() => RuleFor(c => c.Email).Email();
}

/// <summary>
/// Asks for a password-reset link. The answer and its time say nothing about whether the address
/// has an account (DESIGN §8): the same throttles (per client address and per normalised email,
/// 429 alike), the same lookup, the same statements in one transaction — the earlier reset
/// tokens killed (for no user when there is none), the recipient's mail budget taken, and one
/// security event and one outbox row inserted and committed. For an unknown address both belong
/// to no user (like the event of a failed login), and the sender drops such a row unsent: so the
/// mail itself, not the request, is where known and unknown addresses part.
/// </summary>
public sealed class ForgotPasswordCommandHandler(
    IUserRepository users,
    IEmailTokenRepository tokens,
    ISecurityEventRepository events,
    IThrottle throttle,
    AccountMail mail,
    IUnitOfWork unitOfWork,
    IOptions<AuthOptions> options,
    TimeProvider time) : ICommandHandler<ForgotPasswordCommand, ForgotPasswordResponse>
{
    public async ValueTask<ForgotPasswordResponse> Handle(ForgotPasswordCommand command, CancellationToken cancellationToken)
    {
        var limits = options.Value.Email;
        var attempt = await throttle.TryTakeAsync(
        [
            ThrottleLimit.Hourly(ThrottleKeys.ForgotAddress(command.Client.Ip), limits.ForgotPerAddressPerHour),
            ThrottleLimit.Hourly(ThrottleKeys.ForgotEmail(User.Normalize(command.Email)), limits.ForgotPerEmailPerHour),
        ], cancellationToken);
        if (attempt.RetryAfter is { } retryAfter)
        {
            throw new TooManyRequestsException(retryAfter, "Too many password reset requests. Try again later.");
        }

        var now = time.GetUtcNow();
        var found = await users.FindByEmailAsync(command.Email, cancellationToken);
        var user = found is { IsActive: true } ? found : null;
        await unitOfWork.InTransactionAsync(async ct =>
        {
            // A new request kills the links sent before it.
            await tokens.KillAllAsync(user?.Id ?? 0, EmailTokenPurposes.ResetPassword, now, ct);
            var budget = await mail.TryTakeRecipientBudgetAsync(command.Email, ct);
            events.Add(SecurityEventFactory.Create(user?.Id, SecurityEventTypes.PasswordResetRequested, now, command.Client, null, ("mailed", user is not null && budget)));
            if (budget)
            {
                mail.QueueRequested(user, user?.Email ?? command.Email, MailKinds.ResetPassword, EmailTokenPurposes.ResetPassword, now, command.Client);
            }

            await unitOfWork.SaveChangesAsync(ct);
            return 0;
        }, cancellationToken);
        return ForgotPasswordResponse.Accepted;
    }
}
