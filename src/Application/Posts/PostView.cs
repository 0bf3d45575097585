using Paseto.Auth.Domain.Posts;

namespace Paseto.Auth.Application.Posts;

/// <summary>A post as the API shows it; <c>author</c> is the author's username.</summary>
public sealed record PostView(
    int Id,
    string Author,
    string Title,
    string Body,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int Version)
{
    public static PostView From(Post post, string author) =>
        new(post.Id, author, post.Title, post.Body, post.CreatedAt, post.UpdatedAt, post.Version);
}

/// <summary>One page of posts; <c>next_cursor</c> is null on the last page.</summary>
public sealed record PostPage(IReadOnlyList<PostView> Items, string? NextCursor);
