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
/// An admin sets a user's role or active flag. Deactivating revokes every session of that user.
/// The last active admin cannot be demoted or deactivated: the check runs under a lock on every
/// active admin's row, so two admins demoting each other at once cannot leave none.
/// </summary>
public sealed record AdminUpdateUserCommand(CallerIdentity Caller, string Username, string? Role, bool? IsActive) : ICommand<UserProfile>;

public sealed class AdminUpdateUserCommandValidator : AbstractValidator<AdminUpdateUserCommand>
{
    public AdminUpdateUserCommandValidator() =>
        RuleFor(c => c.Role).Must(r => r is null || Roles.IsKnown(r)).WithMessage("The role must be 'member' or 'admin'.");
}

public sealed class AdminUpdateUserCommandHandler(
    IUserRepository users,
    ISessionRepository sessions,
    ISecurityEventRepository events,
    IUnitOfWork unitOfWork,
    TimeProvider time) : ICommandHandler<AdminUpdateUserCommand, UserProfile>
{
    public async ValueTask<UserProfile> Handle(AdminUpdateUserCommand command, CancellationToken cancellationToken)
    {
        var user = await users.FindByUsernameAsync(command.Username, cancellationToken)
            ?? throw new NotFoundException("No user has this username.");
        var now = time.GetUtcNow();
        var demote = user.Role == Roles.Admin && command.Role is { } role && role != Roles.Admin;
        var deactivate = user.IsActive && command.IsActive == false;
        var roleChange = command.Role is { } r && r != user.Role;
        var activeChange = command.IsActive is { } a && a != user.IsActive;
        if (!roleChange && !activeChange)
        {
            return UserProfile.From(user);
        }

        return await unitOfWork.InTransactionAsync(async ct =>
        {
            if (user.Role == Roles.Admin && user.IsActive && (demote || deactivate) && await users.LockActiveAdminsAsync(ct) <= 1)
            {
                throw new ConflictException("The last active admin cannot be demoted or deactivated.");
            }

            if (deactivate)
            {
                // The lock a login takes to start its session (SessionIssuer): one that raced this
                // has committed its session, revoked below, or finds the credential stamp changed.
                await users.LockAsync(user.Id, ct);
            }

            var client = command.Caller.Client;
            var by = ("by", (object?)command.Caller.Username);
            if (roleChange)
            {
                events.Add(SecurityEventFactory.Create(user.Id, SecurityEventTypes.RoleChanged, now, client, null, ("old", user.Role), ("new", command.Role), by));
                user.ChangeRole(command.Role!, now);
            }

            if (activeChange)
            {
                events.Add(SecurityEventFactory.Create(user.Id, command.IsActive!.Value ? SecurityEventTypes.AccountReactivated : SecurityEventTypes.AccountDeactivated, now, client, null, by));
                user.SetActive(command.IsActive!.Value, now);
            }

            if (deactivate)
            {
                foreach (var revoked in await sessions.RevokeAllAsync(user.Id, null, RevokeReasons.RevokedByAdmin, now, ct))
                {
                    events.Add(SecurityEventFactory.SessionRevoked(user.Id, revoked, RevokeReasons.RevokedByAdmin, now, client));
                }
            }

            await unitOfWork.SaveChangesAsync(ct);

            return UserProfile.From(user);
        }, cancellationToken);
    }
}
