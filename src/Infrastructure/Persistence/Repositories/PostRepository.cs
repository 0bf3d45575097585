using Microsoft.EntityFrameworkCore;
using Paseto.Auth.Application.Posts;
using Paseto.Auth.Domain.Posts;

namespace Paseto.Auth.Infrastructure.Persistence.Repositories;

internal sealed class PostRepository(AuthDbContext db) : IPostRepository
{
    public void Add(Post post) => db.Posts.Add(post);

    public void Remove(Post post) => db.Posts.Remove(post);

    public Task<Post?> FindAsync(int id, CancellationToken cancellationToken) =>
        db.Posts.FirstOrDefaultAsync(p => p.Id == id, cancellationToken);

    public Task<PostView?> FindViewAsync(int id, CancellationToken cancellationToken) =>
        Views(db.Posts.Where(p => p.Id == id)).FirstOrDefaultAsync(cancellationToken);

    public Task<List<PostView>> ListAsync(int? authorId, PostCursor? after, int take, CancellationToken cancellationToken) =>
        PageQuery(authorId, after, take).ToListAsync(cancellationToken);

    /// <summary>
    /// The list query. The row comparison <c>(created_at, id) &lt; (…, …)</c> and the matching
    /// <c>ORDER BY created_at DESC, id DESC</c> let PostgreSQL start in the middle of the
    /// (author_id,) created_at DESC, id DESC index and stop after <paramref name="take"/> rows,
    /// however deep the page; the integration tests check the plan, and that the page size is
    /// written into the SQL (<see cref="InlineTake"/>) so PostgreSQL can cache it.
    /// </summary>
    internal IQueryable<PostView> PageQuery(int? authorId, PostCursor? after, int take)
    {
        var posts = db.Posts.AsNoTracking();
        if (authorId is { } author)
        {
            posts = posts.Where(p => p.AuthorId == author);
        }

        if (after is { } cursor)
        {
            var createdAt = cursor.CreatedAt;
            var id = cursor.Id;
            posts = posts.Where(p => EF.Functions.LessThan(ValueTuple.Create(p.CreatedAt, p.Id), ValueTuple.Create(createdAt, id)));
        }

        return Views(posts.OrderByDescending(p => p.CreatedAt).ThenByDescending(p => p.Id)).TakeInline(take);
    }

    private IQueryable<PostView> Views(IQueryable<Post> posts) =>
        from p in posts
        join u in db.Users on p.AuthorId equals u.Id
        select new PostView(p.Id, u.Username, p.Title, p.Body, p.CreatedAt, p.UpdatedAt, p.Version);
}
