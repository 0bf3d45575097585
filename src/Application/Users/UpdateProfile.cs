using FluentValidation;
using Mediator;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Email;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Application.SecondFactor;
using Paseto.Auth.Application.SecurityEvents;
using Paseto.Auth.Domain.SecurityEvents;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Application.Users;

/// <summary>
/// Changes the caller's first name, email or username. Changing the email or the username (what
/// a person logs in with) needs the current password (OWASP ASVS 3.7.1): a stolen access token
/// alone must not be enough to take the account over.
/// </summary>
/// <param name="Proof">With a second factor on, a current code or a recovery code too, for an email or username change.</param>
public sealed record UpdateProfileCommand(CallerIdentity Caller, string? Firstname, string? Email, string? Username, string? CurrentPassword, SecondFactorProof Proof)
    : ICommand<UserProfile>;

public sealed class UpdateProfileCommandValidator : AbstractValidator<UpdateProfileCommand>
{
    public UpdateProfileCommandValidator()
    {
        RuleFor(c => c.Firstname!).Firstname().When(c => c.Firstname is not null);
        RuleFor(c => c.Email!).Email().When(c => c.Email is not null);
        RuleFor(c => c.Username!).Username().When(c => c.Username is not null);
        RuleFor(c => c.CurrentPassword).MaximumLength(PasswordRules.PresentedMaxLength).WithMessage("The password is too long.");
        this.SecondFactorProof(c => c.Proof);
    }
}

public sealed class UpdateProfileCommandHandler(
    IUserRepository users,
    ISecurityEventRepository events,
    PasswordGuard passwordGuard,
    SecondFactorCheck secondFactor,
    EmailChangeRequest emailChange,
    IUnitOfWork unitOfWork,
    TimeProvider time) : ICommandHandler<UpdateProfileCommand, UserProfile>
{
    public async ValueTask<UserProfile> Handle(UpdateProfileCommand command, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(command.Caller.UserId, cancellationToken)
            ?? throw new InvalidCredentialsException();
        var now = time.GetUtcNow();
        var newUsername = command.Username is { } u && !string.Equals(u, user.Username, StringComparison.Ordinal) ? u : null;
        var newEmail = command.Email is { } e && !string.Equals(e, user.Email, StringComparison.Ordinal) ? e : null;
        var newFirstname = command.Firstname is { } f && !string.Equals(f.Trim(), user.Firstname, StringComparison.Ordinal) ? f.Trim() : null;

        if (newUsername is not null || newEmail is not null)
        {
            await passwordGuard.RequireAsync(command.Caller, user, command.CurrentPassword, nameof(command.CurrentPassword), "update_profile", cancellationToken);
            await secondFactor.RequireForStepUpAsync(command.Caller, user, command.Proof, "update_profile", cancellationToken);
        }

        if (newUsername is null && newEmail is null && newFirstname is null)
        {
            return UserProfile.From(user);
        }

        var client = command.Caller.Client;
        if (newUsername is not null)
        {
            events.Add(SecurityEventFactory.Create(user.Id, SecurityEventTypes.UsernameChanged, now, client, command.Caller.SessionId,
                ("old", user.Username), ("new", newUsername)));
            user.Rename(newUsername, now);
        }

        if (newEmail is not null && User.Normalize(newEmail) != user.NormalizedEmail)
        {
            // Another mailbox: it waits until a link sent to it is used (DESIGN §8).
            await emailChange.RequestAsync(user, newEmail, command.Caller, now, cancellationToken);
        }
        else if (newEmail is not null)
        {
            // Only another spelling of the same address: nothing to prove.
            events.Add(SecurityEventFactory.Create(user.Id, SecurityEventTypes.EmailChanged, now, client, command.Caller.SessionId,
                ("old", SecurityEventFactory.MaskEmail(user.Email)), ("new", SecurityEventFactory.MaskEmail(newEmail))));
            user.ChangeEmail(newEmail, now);
        }

        if (newFirstname is not null)
        {
            user.ChangeFirstname(newFirstname, now);
        }

        await unitOfWork.SaveChangesAsync(cancellationToken);
        return UserProfile.From(user);
    }
}
