using FluentValidation;
using Mediator;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Events;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Domain.Events;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Application.Users;

/// <summary>
/// The operator's way to the first admin: creates the account, or promotes (and reactivates) an
/// existing one. Used by the host's <c>create-admin</c> verb.
/// </summary>
/// <param name="Password">Needed only when the account does not exist yet.</param>
public sealed record CreateAdminCommand(string Username, string Email, string? Password, string Firstname) : ICommand<CreateAdminResult>;

public sealed record CreateAdminResult(UserProfile Profile, bool Created);

public sealed class CreateAdminCommandValidator : AbstractValidator<CreateAdminCommand>
{
    public CreateAdminCommandValidator(IPasswordBlocklist blocklist)
    {
        RuleFor(c => c.Username).Username();
        RuleFor(c => c.Email).Email();
        RuleFor(c => c.Firstname).Firstname();
        RuleFor(c => c.Password!).Password(c => [c.Username, c.Email], blocklist).When(c => c.Password is not null);
    }
}

public sealed class CreateAdminCommandHandler(
    IUserRepository users,
    ISecurityEventRepository events,
    IPasswordHasher passwordHasher,
    IUnitOfWork unitOfWork,
    TimeProvider time) : ICommandHandler<CreateAdminCommand, CreateAdminResult>
{
    public async ValueTask<CreateAdminResult> Handle(CreateAdminCommand command, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var existing = await users.FindByUsernameAsync(command.Username, cancellationToken);
        if (existing is not null)
        {
            events.Add(SecurityEventFactory.Create(existing.Id, SecurityEventTypes.RoleChanged, now, null, null,
                ("old", existing.Role), ("new", Roles.Admin), ("by", "create-admin")));
            if (!existing.IsActive)
            {
                events.Add(SecurityEventFactory.Create(existing.Id, SecurityEventTypes.AccountReactivated, now, null, null, ("by", "create-admin")));
            }

            existing.Promote(Roles.Admin, now);
            await unitOfWork.SaveChangesAsync(cancellationToken);
            return new CreateAdminResult(UserProfile.From(existing), Created: false);
        }

        if (command.Password is null)
        {
            throw new RequestValidationException(new Dictionary<string, string[]>
            {
                [nameof(command.Password)] = ["A password is required to create an account."],
            });
        }

        var hash = await passwordHasher.HashAsync(command.Password, cancellationToken);
        var user = User.Create(command.Username, command.Email, hash, command.Firstname, Roles.Admin, now);
        await unitOfWork.InTransactionAsync(async ct =>
        {
            users.Add(user);
            await unitOfWork.SaveChangesAsync(ct);
            events.Add(SecurityEventFactory.Create(user.Id, SecurityEventTypes.Signup, now, null, null, ("role", Roles.Admin), ("by", "create-admin")));
            await unitOfWork.SaveChangesAsync(ct);
            return user.Id;
        }, cancellationToken);
        return new CreateAdminResult(UserProfile.From(user), Created: true);
    }
}
