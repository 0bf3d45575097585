using FluentValidation;
using Mediator;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Events;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Application.Sessions;
using Paseto.Auth.Domain.Events;

namespace Paseto.Auth.Application.Auth;

/// <param name="Username">A username or an email.</param>
public sealed record LoginUserCommand(string Username, string Password, string? DeviceToken, ClientInfo Client) : ICommand<TokenResponse>
{
    /// <summary>The OAuth 2.0 form's <c>grant_type</c>; only <c>password</c> is supported.</summary>
    public string? GrantType { get; init; } = "password";
}

public sealed class LoginUserCommandValidator : AbstractValidator<LoginUserCommand>
{
    public LoginUserCommandValidator()
    {
        // Only shape limits here: telling a caller which policy rule a login breaks would help guessing.
        RuleFor(c => c.Username).NotEmpty().WithMessage("A username or email is required.")
            .MaximumLength(254).WithMessage("The username is too long.");
        RuleFor(c => c.Password).NotEmpty().WithMessage("A password is required.")
            .MaximumLength(1024).WithMessage("The password is too long.");
        RuleFor(c => c.GrantType).Equal("password").WithMessage("The grant_type must be 'password'.");
    }
}

public sealed class LoginUserCommandHandler(
    IUserRepository users,
    ISecurityEventRepository events,
    IUnitOfWork unitOfWork,
    IPasswordHasher passwordHasher,
    SessionIssuer sessionIssuer,
    TimeProvider time) : ICommandHandler<LoginUserCommand, TokenResponse>
{
    public async ValueTask<TokenResponse> Handle(LoginUserCommand command, CancellationToken cancellationToken)
    {
        var user = await users.FindByLoginAsync(command.Username, cancellationToken);
        if (user is null)
        {
            // Same work as a wrong password, so the answer's timing does not tell who has an account.
            await passwordHasher.BurnAsync(command.Password, cancellationToken);
            throw new InvalidCredentialsException();
        }

        var verification = await passwordHasher.VerifyAsync(command.Password, user.PasswordHash, cancellationToken);
        var now = time.GetUtcNow();
        if (verification == PasswordVerification.Failed || !user.IsActive)
        {
            // One small insert next to the hash that just ran: the owner's history records the attempt.
            events.Add(SecurityEventFactory.Create(user.Id, SecurityEventTypes.LoginFailed, now, command.Client, null,
                ("reason", user.IsActive ? "wrong_password" : "account_inactive")));
            await unitOfWork.SaveChangesAsync(cancellationToken);
            throw new InvalidCredentialsException();
        }

        if (verification == PasswordVerification.SucceededNeedsRehash)
        {
            // Parameters (or the pepper) changed since this hash was made: upgrade it while we hold
            // the password. It commits with the new session.
            user.ReplacePasswordHash(await passwordHasher.HashAsync(command.Password, cancellationToken), now);
        }

        return await sessionIssuer.StartAsync(user, command.Client, now, cancellationToken);
    }
}
