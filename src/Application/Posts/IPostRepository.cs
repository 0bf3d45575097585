using Paseto.Auth.Domain.Posts;

namespace Paseto.Auth.Application.Posts;

/// <summary>
/// The posts' store. It lives with the Posts feature rather than in the Abstractions because it
/// answers in the feature's own read models (<see cref="PostView"/>, paged by
/// <see cref="PostCursor"/>): a list is one query with the author's name joined in.
/// </summary>
public interface IPostRepository
{
    void Add(Post post);

    void Remove(Post post);

    /// <summary>The post with this id, tracked for changes.</summary>
    Task<Post?> FindAsync(int id, CancellationToken cancellationToken);

    /// <summary>The post as the API shows it (with its author's username), not tracked.</summary>
    Task<PostView?> FindViewAsync(int id, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="take"/> posts, newest first (by <c>created_at</c>, then <c>id</c>),
    /// strictly after <paramref name="after"/> in that order, optionally by one author.
    /// </summary>
    Task<List<PostView>> ListAsync(int? authorId, PostCursor? after, int take, CancellationToken cancellationToken);
}
