using FluentValidation;
using Mediator;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Common;
using Paseto.Auth.Application.Users;

namespace Paseto.Auth.Application.Posts;

/// <summary>
/// A page of posts, newest first, keyset-paged on (<c>created_at</c>, <c>id</c>): each page starts
/// strictly after the last post of the one before, so posts written while a client pages never
/// shift later pages, and no post appears twice or is skipped.
/// </summary>
/// <param name="Limit">Posts per page, 1–100.</param>
/// <param name="Cursor">The <c>next_cursor</c> of the previous page; null for the first.</param>
/// <param name="Author">Only this author's posts (username, any case); an unknown one gives an empty page.</param>
public sealed record ListPostsQuery(int Limit, string? Cursor, string? Author) : IQuery<PostPage>;

public sealed class ListPostsQueryValidator : AbstractValidator<ListPostsQuery>
{
    public ListPostsQueryValidator()
    {
        RuleFor(q => q.Limit).InclusiveBetween(1, Paging.MaxLimit)
            .WithMessage($"The limit must be between 1 and {Paging.MaxLimit}.");
        RuleFor(q => q.Cursor).Must(cursor => cursor is null || PostCursor.TryDecode(cursor, out _))
            .WithMessage("The cursor is not one this API gave out.");
    }
}

public sealed class ListPostsQueryHandler(IPostRepository posts, IUserRepository users) : IQueryHandler<ListPostsQuery, PostPage>
{
    private static readonly PostPage _empty = new([], null);

    public async ValueTask<PostPage> Handle(ListPostsQuery query, CancellationToken cancellationToken)
    {
        int? authorId = null;
        if (query.Author is { } author)
        {
            // Nothing that cannot be a username is looked up (control characters never reach the database).
            if (author.Length > UserRules.UsernameMaxLength || !TextRules.IsPrintable(author))
            {
                return _empty;
            }

            var user = await users.FindByUsernameAsync(author, cancellationToken);
            if (user is null)
            {
                return _empty;
            }

            authorId = user.Id;
        }

        PostCursor? after = PostCursor.TryDecode(query.Cursor, out var cursor) ? cursor : null;

        // One more than asked tells whether another page follows, without a count.
        var items = await posts.ListAsync(authorId, after, query.Limit + 1, cancellationToken);
        if (items.Count <= query.Limit)
        {
            return new PostPage(items, null);
        }

        items.RemoveAt(items.Count - 1);
        return new PostPage(items, PostCursor.After(items[^1]).Encode());
    }
}
