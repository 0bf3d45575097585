using System.Buffers.Binary;
using System.Buffers.Text;
using FluentValidation;
using Mediator;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Common;
using Paseto.Auth.Application.Events;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Domain.Events;
using Paseto.Auth.Domain.Sessions;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Application.Users;

public sealed record UserPage(IReadOnlyList<UserProfile> Items, string? NextCursor);

/// <summary>Admins list users by id, a page at a time; <c>q</c> keeps those whose username or email starts with it.</summary>
public sealed record ListUsersQuery(int? Limit, string? Cursor, string? Q) : IQuery<UserPage>;

public sealed class ListUsersQueryValidator : AbstractValidator<ListUsersQuery>
{
    public ListUsersQueryValidator()
    {
        RuleFor(q => q.Limit).InclusiveBetween(1, Paging.MaxLimit).WithMessage($"The limit must be between 1 and {Paging.MaxLimit}.");
        RuleFor(q => q.Cursor).Must(c => c is null || UserCursor.TryDecode(c, out _)).WithMessage("The cursor is not valid.");
        // A username or email prefix: no longer than the longest email.
        RuleFor(q => q.Q).MaximumLength(UserRules.EmailMaxLength).WithMessage("The filter is too long.")
            .Must(q => q is null || TextRules.IsPrintable(q)).WithMessage("The filter must not contain control characters.");
    }
}

public sealed class ListUsersQueryHandler(IUserRepository users) : IQueryHandler<ListUsersQuery, UserPage>
{
    public async ValueTask<UserPage> Handle(ListUsersQuery query, CancellationToken cancellationToken)
    {
        var limit = query.Limit ?? Paging.DefaultLimit;
        var afterId = query.Cursor is null ? 0 : UserCursor.Decode(query.Cursor);
        var page = await users.ListAsync(afterId, limit + 1, string.IsNullOrWhiteSpace(query.Q) ? null : query.Q, cancellationToken);
        var items = page.Take(limit).Select(u => UserProfile.From(u)).ToList();
        return new UserPage(items, page.Count > limit ? UserCursor.Encode(items[^1].Id) : null);
    }
}

/// <summary>The opaque cursor of the user list: the last id seen.</summary>
internal static class UserCursor
{
    public static string Encode(int lastId)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, lastId);
        return Base64Url.EncodeToString(bytes);
    }

    public static int Decode(string cursor) => TryDecode(cursor, out var id) ? id : throw new FormatException();

    public static bool TryDecode(string cursor, out int lastId)
    {
        Span<byte> bytes = stackalloc byte[8];
        lastId = 0;
        if (cursor.Length > 16 || !Common.SafeBase64Url.TryDecode(cursor, bytes, out var written) || written != 4)
        {
            return false;
        }

        lastId = BinaryPrimitives.ReadInt32BigEndian(bytes);
        return lastId >= 0;
    }
}

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
