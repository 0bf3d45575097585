using FluentValidation;
using Mediator;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Common;

namespace Paseto.Auth.Application.Users;

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
