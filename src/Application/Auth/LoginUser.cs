using FluentValidation;
using Mediator;
using Microsoft.Extensions.Options;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Common;
using Paseto.Auth.Application.Email;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Application.SecurityEvents;
using Paseto.Auth.Application.Users;
using Paseto.Auth.Domain.SecurityEvents;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Application.Auth;

/// <param name="Username">A username or an email.</param>
public sealed record LoginUserCommand(string Username, string Password, string? DeviceToken, ClientInfo Client) : ICommand<TokenResponse>
{
    /// <summary>The only <c>grant_type</c> of the OAuth 2.0 form there is.</summary>
    public const string PasswordGrant = "password";

    /// <summary>The OAuth 2.0 form's <c>grant_type</c>; only <c>password</c> is supported.</summary>
    public string? GrantType { get; init; } = PasswordGrant;
}

public sealed class LoginUserCommandValidator : AbstractValidator<LoginUserCommand>
{
    public LoginUserCommandValidator()
    {
        // Only shape limits here: telling a caller which policy rule a login breaks would help guessing.
        RuleFor(c => c.Username).NotEmpty().WithMessage("A username or email is required.")
            .MaximumLength(UserRules.EmailMaxLength).WithMessage("The username is too long.")
            .Must(u => TextRules.IsPrintable(u)).WithMessage("The username must not contain control characters.");
        RuleFor(c => c.Password).NotEmpty().WithMessage("A password is required.")
            .MaximumLength(PasswordRules.PresentedMaxLength).WithMessage("The password is too long.");
        RuleFor(c => c.GrantType).Equal(LoginUserCommand.PasswordGrant).WithMessage("The grant_type must be 'password'.");
    }
}

/// <summary>
/// Logs in under throttling that slows guessing without locking the owner out. An untrusted
/// client is judged on two counters: the account from its address (delays grow after a few
/// failures) and the account as a whole (at most <c>AccountFailuresPerHour</c> failures an hour).
/// A client presenting a valid device token of the account is judged on that device's counter
/// alone. Unknown usernames get the same counters, keyed on the name, so a 429 tells nothing.
/// </summary>
/// <remarks>
/// <para>
/// The attempt is reserved on its counters before the password is hashed and counted as a failure
/// in advance (<see cref="IThrottle"/>); a success gives it back. A burst of parallel attempts
/// therefore reaches the password check exactly as often as the same attempts one by one, and an
/// attempt its source counter refuses takes nothing of the account's hourly budget, so a flood
/// from one address cannot spend the budget the owner logs in with from elsewhere.
/// </para>
/// <para>
/// A refused or failed attempt answers after the same statements whether or not the account
/// exists (DESIGN §3: "taking about the same time"): the same lookups, the same counters, the
/// same hashing work, and one security event inserted and committed, which for an unknown name
/// belongs to no user and keeps neither the name nor the password.
/// </para>
/// <para>
/// An account with a second factor (DESIGN §9) does not get its session here: the right password
/// answers 403 <c>/problems/mfa-required</c> with a challenge (<see cref="MfaChallenges"/>), and
/// <see cref="CompleteMfaLoginCommandHandler"/> ends the login as this one would
/// (<see cref="LoginCompletion"/>), with the factor among the session's methods.
/// </para>
/// </remarks>
public sealed class LoginUserCommandHandler(
    IUserRepository users,
    IDeviceRepository devices,
    ISecurityEventRepository events,
    IUnitOfWork unitOfWork,
    IPasswordHasher passwordHasher,
    IThrottle throttle,
    LoginCompletion completion,
    MfaChallenges challenges,
    SignInMail signInMail,
    IOptions<AuthOptions> options,
    TimeProvider time) : ICommandHandler<LoginUserCommand, TokenResponse>
{
    public async ValueTask<TokenResponse> Handle(LoginUserCommand command, CancellationToken cancellationToken)
    {
        var user = await users.FindByLoginAsync(command.Username, cancellationToken);
        // Looked up for an unknown name too (no device has user 0), so a presented token costs the same query.
        var device = OpaqueToken.TryHash(command.DeviceToken, out var deviceHash)
            ? await devices.FindActiveAsync(user?.Id ?? 0, deviceHash, cancellationToken)
            : null;
        var accountKey = user is null ? ThrottleKeys.LoginName(User.Normalize(command.Username)) : ThrottleKeys.LoginUser(user.Id);
        ThrottleLimit[] limits = device is null
            ? [ThrottleLimit.Delays(ThrottleKeys.LoginAccountFromAddress(accountKey, command.Client.Ip)), ThrottleLimit.Hourly(accountKey, options.Value.Throttling.AccountFailuresPerHour)]
            : [ThrottleLimit.Delays(ThrottleKeys.LoginDevice(device.Id))];

        var now = time.GetUtcNow();
        var attempt = await throttle.TryTakeAsync(limits, cancellationToken);
        if (attempt.RetryAfter is { } retryAfter)
        {
            await RecordAsync(user, SecurityEventTypes.LoginThrottled, now, command.Client, ("trusted_device", device is not null), cancellationToken);
            throw new TooManyRequestsException(retryAfter);
        }

        var verification = user is null
            ? PasswordVerification.Failed
            : await passwordHasher.VerifyAsync(command.Password, user.PasswordHash, cancellationToken);
        if (user is null)
        {
            // Same work as a wrong password, so the answer's timing does not tell who has an account.
            await passwordHasher.BurnAsync(command.Password, cancellationToken);
        }

        if (user is null || verification == PasswordVerification.Failed || !user.IsActive)
        {
            // The failure was counted when the attempt was reserved.
            var reason = user is null ? "unknown_account" : user.IsActive ? "wrong_password" : "account_inactive";
            await RecordAsync(user, SecurityEventTypes.LoginFailed, now, command.Client, ("reason", reason), cancellationToken);
            throw new InvalidCredentialsException();
        }

        // A login that ends in a session gives its reservation back in the session's commit; one
        // that stops for the email address or a second factor, now.
        var endsHere = !user.MfaEnabled && !signInMail.NeedsVerification(user);
        if (!endsHere)
        {
            await throttle.SucceededAsync(attempt, cancellationToken);
        }

        await signInMail.RequireVerifiedAsync(user, command.Client, now, cancellationToken);
        users.Track(user);
        if (verification == PasswordVerification.SucceededNeedsRehash)
        {
            // Parameters (or the pepper) changed since this hash was made: upgrade it while we hold
            // the password. It commits with the new session (or the second factor's challenge).
            user.ReplacePasswordHash(await passwordHasher.HashAsync(command.Password, cancellationToken), now);
        }

        if (user.MfaEnabled)
        {
            // The seam of DESIGN §9: the password step is done, the session waits for the factor.
            await challenges.IssueAsync(user, now, cancellationToken);
        }

        try
        {
            return await completion.FinishAsync(user, device, command.DeviceToken, command.Client, [AuthMethods.Password], now, attempt, cancellationToken);
        }
        catch (ConflictException) when (endsHere)
        {
            // The session limit refused the session, and its commit with the give-back rolled back:
            // the password was right, so the attempt is no failure.
            await throttle.SucceededAsync(attempt, cancellationToken);
            throw;
        }
    }

    /// <summary>
    /// The attempt in the owner's history, or, for a name without an account, in no one's: the
    /// same insert and commit either way (see the remarks above).
    /// </summary>
    private Task RecordAsync(User? user, string type, DateTimeOffset now, ClientInfo client, (string, object?) detail, CancellationToken cancellationToken)
    {
        events.Add(SecurityEventFactory.Create(user?.Id, type, now, client, null, detail));
        return unitOfWork.SaveChangesAsync(cancellationToken);
    }
}
