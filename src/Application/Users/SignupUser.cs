using FluentValidation;
using Mediator;
using Microsoft.Extensions.Options;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Behaviors;
using Paseto.Auth.Application.Common;
using Paseto.Auth.Application.Email;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Application.SecurityEvents;
using Paseto.Auth.Domain.SecurityEvents;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Application.Users;

public sealed record SignupUserCommand(
    string Username,
    string Email,
    string Password,
    string Firstname,
    string? RefererSecret,
    string? Role,
    ClientInfo Client) : ICommand<UserProfile>, IRequireRefererSecret;

public sealed class SignupUserCommandValidator : AbstractValidator<SignupUserCommand>
{
    public SignupUserCommandValidator(IOptions<AuthOptions> options, IPasswordBlocklist blocklist)
    {
        var selfAssignable = options.Value.SelfAssignableRoles;
        RuleFor(c => c.Username).Username();
        RuleFor(c => c.Email).Email();
        RuleFor(c => c.Firstname).Firstname();
        RuleFor(c => c.Password).Password(c => [c.Username, c.Email], blocklist);
        RuleFor(c => c.Role)
            .Must(role => role is null || selfAssignable.Contains(role, StringComparer.Ordinal))
            .WithMessage($"The role must be one of: {string.Join(", ", selfAssignable)}.");
    }
}

public sealed class SignupUserCommandHandler(
    IUserRepository users,
    IThrottle throttle,
    IOptions<AuthOptions> options,
    ISecurityEventRepository events,
    IPasswordHasher passwordHasher,
    AccountMail mail,
    IUnitOfWork unitOfWork,
    TimeProvider time) : ICommandHandler<SignupUserCommand, UserProfile>
{
    public async ValueTask<UserProfile> Handle(SignupUserCommand command, CancellationToken cancellationToken)
    {
        // Anti-automation: a budget per client address and one for the whole service (hourly),
        // taken at once: of parallel signups exactly the budget get through, and one the
        // address's budget refuses takes nothing of the service's.
        var limits = options.Value.Throttling;
        var attempt = await throttle.TryTakeAsync(
            [ThrottleLimit.Hourly(ThrottleKeys.SignupAddress(command.Client.Ip), limits.SignupsPerAddressPerHour), ThrottleLimit.Hourly(ThrottleKeys.SignupAll, limits.SignupsPerHour)],
            cancellationToken);
        if (attempt.RetryAfter is { } retryAfter)
        {
            throw new TooManyRequestsException(retryAfter, "Too many signups. Try again later.");
        }

        var hash = await passwordHasher.HashAsync(command.Password, cancellationToken);
        // Username and email are stored as sent: the validator refuses whitespace rather than trim it.
        var user = User.Create(
            command.Username,
            command.Email,
            hash,
            command.Firstname.Trim(),
            command.Role ?? Roles.Member,
            time.GetUtcNow());
        // The unique indexes decide: of two racing signups for one name, one commits and one gets 409.
        await unitOfWork.InTransactionAsync(async ct =>
        {
            users.Add(user);
            await unitOfWork.SaveChangesAsync(ct);
            events.Add(SecurityEventFactory.Create(user.Id, SecurityEventTypes.Signup, user.CreatedAt, command.Client, null, ("role", user.Role)));
            await mail.QueueVerificationAsync(user, command.Client, user.CreatedAt, ct);
            await unitOfWork.SaveChangesAsync(ct);
            return user.Id;
        }, cancellationToken);
        return UserProfile.From(user);
    }
}
