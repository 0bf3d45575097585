using Microsoft.Extensions.Options;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Common;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Application.SecurityEvents;
using Paseto.Auth.Domain.SecurityEvents;
using Paseto.Auth.Domain.Sessions;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Application.Users;

/// <summary>
/// Checks the password a caller re-enters for a sensitive change (step-up), throttled like a
/// login so that a stolen access token is no way to guess it: each session may enter
/// <c>Auth:Throttling:StepUpFailuresPerSession</c> wrong passwords, the last of which revokes it,
/// and the account takes <c>StepUpFailuresPerHour</c> from all its sessions together. The attempt
/// is reserved on both counters before the hash (<see cref="IThrottle"/>), so a burst gets no
/// more checks than the same guesses one by one; a right password gives its units back. Every
/// wrong password is a <c>password_check_failed</c> event.
/// </summary>
public sealed class PasswordGuard(
    IPasswordHasher hasher,
    IThrottle throttle,
    ISessionRepository sessions,
    ISecurityEventRepository events,
    IUnitOfWork unitOfWork,
    IOptions<AuthOptions> options,
    TimeProvider time)
{
    /// <param name="field">The property the password came in, for the 400 when it is missing.</param>
    /// <param name="operation">What the password is for, recorded with a failure (<c>change_password</c>, …).</param>
    /// <exception cref="RequestValidationException">No password was given (400, keyed by <paramref name="field"/>).</exception>
    /// <exception cref="TooManyRequestsException">The session or the account has no wrong password left for now (429).</exception>
    /// <exception cref="WrongPasswordException">The password is wrong (401); the session ended with it when it was its last.</exception>
    public async Task RequireAsync(CallerIdentity caller, User user, string? password, string field, string operation, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(password))
        {
            throw new RequestValidationException(new Dictionary<string, string[]>
            {
                [field] = ["The current password is required for this change."],
            });
        }

        var settings = options.Value;
        var perSession = settings.Throttling.StepUpFailuresPerSession;
        var sessionKey = ThrottleKeys.StepUpSession(caller.SessionId);
        // The session's count lasts as long as a session can: a session has so many wrong
        // passwords in all, however slowly they come.
        var attempt = await throttle.TryTakeAsync(
            [ThrottleLimit.Budget(sessionKey, perSession, settings.SessionLifetime), ThrottleLimit.Hourly(ThrottleKeys.StepUpUser(user.Id), settings.Throttling.StepUpFailuresPerHour)],
            cancellationToken);
        if (attempt.RetryAfter is { } retryAfter)
        {
            throw new TooManyRequestsException(retryAfter, "Too many wrong passwords. Try again later.");
        }

        if (await hasher.VerifyAsync(password, user.PasswordHash, cancellationToken) != PasswordVerification.Failed)
        {
            await throttle.SucceededAsync(attempt, cancellationToken);
            return;
        }

        var now = time.GetUtcNow();
        var ended = await unitOfWork.InTransactionAsync(async ct =>
        {
            events.Add(SecurityEventFactory.Create(user.Id, SecurityEventTypes.PasswordCheckFailed, now, caller.Client, caller.SessionId, ("operation", operation)));
            var last = attempt.CountOf(sessionKey) >= perSession
                && await sessions.RevokeNowAsync(caller.SessionId, RevokeReasons.WrongPasswordLimit, now, ct) is not null;
            if (last)
            {
                events.Add(SecurityEventFactory.SessionRevoked(user.Id, caller.SessionId, RevokeReasons.WrongPasswordLimit, now, caller.Client));
            }

            await unitOfWork.SaveChangesAsync(ct);
            return last;
        }, cancellationToken);
        throw new WrongPasswordException(ended);
    }
}
