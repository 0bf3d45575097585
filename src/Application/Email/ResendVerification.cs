using Mediator;
using Microsoft.Extensions.Options;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Common;
using Paseto.Auth.Application.Exceptions;

namespace Paseto.Auth.Application.Email;

/// <summary>
/// Queues a new link for the caller's unproven address: the pending one while an email change
/// waits, otherwise the current one (nothing when it is already verified). Throttled per account.
/// </summary>
public sealed record ResendVerificationCommand(CallerIdentity Caller) : ICommand;

public sealed class ResendVerificationCommandHandler(
    IUserRepository users,
    IThrottle throttle,
    AccountMail mail,
    IUnitOfWork unitOfWork,
    IOptions<AuthOptions> options,
    TimeProvider time) : ICommandHandler<ResendVerificationCommand>
{
    public async ValueTask<Unit> Handle(ResendVerificationCommand command, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(command.Caller.UserId, cancellationToken) ?? throw new InvalidCredentialsException();
        var attempt = await throttle.TryTakeAsync(
            [ThrottleLimit.Hourly(ThrottleKeys.VerificationMails(user.Id), options.Value.Email.VerificationMailsPerHour)], cancellationToken);
        if (attempt.RetryAfter is { } retryAfter)
        {
            throw new TooManyRequestsException(retryAfter, "Too many verification mails. Try again later.");
        }

        if (await mail.QueueVerificationAsync(user, command.Caller.Client, time.GetUtcNow(), cancellationToken))
        {
            await unitOfWork.SaveChangesAsync(cancellationToken);
        }

        return Unit.Value;
    }
}

