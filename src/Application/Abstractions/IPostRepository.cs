using Paseto.Auth.Application.Posts;
using Paseto.Auth.Domain.Posts;

namespace Paseto.Auth.Application.Abstractions;

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
