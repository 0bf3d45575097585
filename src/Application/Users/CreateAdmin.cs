using FluentValidation;
using Mediator;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Application.SecurityEvents;
using Paseto.Auth.Domain.SecurityEvents;
using Paseto.Auth.Domain.Sessions;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Application.Users;

/// <summary>
/// The operator's way to the first admin: creates the account, or makes an existing one an admin
/// (and reactivates it). An existing account is matched by username and must have the given email,
/// so a typo cannot promote someone else; its password is replaced only when
/// <see cref="CreateAdminCommand.ResetPassword"/> asks, which also revokes its sessions, as a
/// password change does. Used by the host's <c>create-admin</c> verb.
/// </summary>
/// <param name="Password">Needed to create the account, or to replace its password; otherwise unused.</param>
/// <param name="ResetPassword">Replace an existing account's password with <paramref name="Password"/>.</param>
public sealed record CreateAdminCommand(string Username, string Email, string? Password, string Firstname, bool ResetPassword = false)
    : ICommand<CreateAdminResult>;

/// <param name="Created">A new account; the other values are their defaults.</param>
/// <param name="PreviousRole">The role an existing account had.</param>
/// <param name="Reactivated">An existing account was inactive and is active again.</param>
/// <param name="PasswordReplaced">An existing account's password was replaced.</param>
/// <param name="SessionsRevoked">The sessions revoked with the password.</param>
public sealed record CreateAdminResult(
    UserProfile Profile, bool Created, string? PreviousRole = null, bool Reactivated = false, bool PasswordReplaced = false, int SessionsRevoked = 0)
{
    /// <summary>An existing account became an admin.</summary>
    public bool Promoted => PreviousRole is not null && PreviousRole != Roles.Admin;
}

public sealed class CreateAdminCommandValidator : AbstractValidator<CreateAdminCommand>
{
    public CreateAdminCommandValidator(IPasswordBlocklist blocklist)
    {
        RuleFor(c => c.Username).Username();
        RuleFor(c => c.Email).Email();
        RuleFor(c => c.Firstname).Firstname();
        RuleFor(c => c.Password!).Password(c => [c.Username, c.Email], blocklist).When(c => c.Password is not null);
        RuleFor(c => c.Password).NotNull().When(c => c.ResetPassword).WithMessage("A new password is required to replace the password.");
    }
}

public sealed class CreateAdminCommandHandler(
    IUserRepository users,
    ISessionRepository sessions,
    ISecurityEventRepository events,
    IPasswordHasher passwordHasher,
    IUnitOfWork unitOfWork,
    TimeProvider time) : ICommandHandler<CreateAdminCommand, CreateAdminResult>
{
    private const string By = "create-admin";

    public async ValueTask<CreateAdminResult> Handle(CreateAdminCommand command, CancellationToken cancellationToken)
    {
        var existing = await users.FindByUsernameAsync(command.Username, cancellationToken);
        return existing is null
            ? await CreateAsync(command, cancellationToken)
            : await UpdateAsync(existing, command, cancellationToken);
    }

    private async Task<CreateAdminResult> UpdateAsync(User user, CreateAdminCommand command, CancellationToken cancellationToken)
    {
        if (user.NormalizedEmail != User.Normalize(command.Email))
        {
            // The account's own email is not told: the username alone must not reveal it.
            throw new ConflictException(
                $"The account '{user.Username}' has another email address; create-admin changes neither. Give that account's email, or another username.");
        }

        var promoted = user.Role != Roles.Admin;
        var reactivated = !user.IsActive;
        var replace = command.ResetPassword;
        if (!promoted && !reactivated && !replace)
        {
            return new CreateAdminResult(UserProfile.From(user), Created: false, user.Role);
        }

        var hash = replace ? await passwordHasher.HashAsync(command.Password!, cancellationToken) : null;
        var now = time.GetUtcNow();
        var previousRole = user.Role;
        var revoked = await unitOfWork.InTransactionAsync(async ct =>
        {
            if (promoted)
            {
                events.Add(SecurityEventFactory.Create(user.Id, SecurityEventTypes.RoleChanged, now, null, null,
                    ("old", user.Role), ("new", Roles.Admin), ("by", By)));
            }

            if (reactivated)
            {
                events.Add(SecurityEventFactory.Create(user.Id, SecurityEventTypes.AccountReactivated, now, null, null, ("by", By)));
            }

            var ended = new List<Guid>();
            if (hash is not null)
            {
                // As a password change, under its lock: whoever held the old password, a token made
                // with it, or a login that verified it and has not started its session yet, is out.
                await CredentialLock.TakeAsync(users, user, ct);
                user.ChangePassword(hash, now);
                events.Add(SecurityEventFactory.Create(user.Id, SecurityEventTypes.PasswordChanged, now, null, null, ("by", By)));
                ended.AddRange(await sessions.RevokeAllAsync(user.Id, null, RevokeReasons.PasswordChanged, now, ct));
                foreach (var session in ended)
                {
                    events.Add(SecurityEventFactory.SessionRevoked(user.Id, session, RevokeReasons.PasswordChanged, now, null));
                }
            }

            user.Promote(Roles.Admin, now);

            await unitOfWork.SaveChangesAsync(ct);
            return ended.Count;
        }, cancellationToken);
        return new CreateAdminResult(UserProfile.From(user), Created: false, previousRole, reactivated, replace, revoked);
    }

    private async Task<CreateAdminResult> CreateAsync(CreateAdminCommand command, CancellationToken cancellationToken)
    {
        if (command.Password is null)
        {
            throw new RequestValidationException(new Dictionary<string, string[]>
            {
                [nameof(command.Password)] = ["A password is required to create an account."],
            });
        }

        var now = time.GetUtcNow();
        var hash = await passwordHasher.HashAsync(command.Password, cancellationToken);
        var user = User.Create(command.Username, command.Email, hash, command.Firstname, Roles.Admin, now);
        await unitOfWork.InTransactionAsync(async ct =>
        {
            users.Add(user);
            await unitOfWork.SaveChangesAsync(ct);
            events.Add(SecurityEventFactory.Create(user.Id, SecurityEventTypes.Signup, now, null, null, ("role", Roles.Admin), ("by", By)));
            await unitOfWork.SaveChangesAsync(ct);
            return user.Id;
        }, cancellationToken);
        return new CreateAdminResult(UserProfile.From(user), Created: true);
    }
}
