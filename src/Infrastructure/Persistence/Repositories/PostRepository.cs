using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Paseto.Auth.Application.Common;
using Paseto.Auth.Application.Posts;
using Paseto.Auth.Domain.Posts;

namespace Paseto.Auth.Infrastructure.Persistence.Repositories;

internal sealed class PostRepository(AuthDbContext db, NpgsqlDataSource dataSource) : IPostRepository
{
    private const string PageSql = "SELECT p.id, u.username, p.title, p.body, p.created_at, p.updated_at, p.version "
        + "FROM paseto_auth.posts AS p INNER JOIN paseto_auth.users AS u ON p.author_id = u.id";

    public void Add(Post post) => db.Posts.Add(post);

    public void Remove(Post post) => db.Posts.Remove(post);

    public Task<Post?> FindAsync(int id, CancellationToken cancellationToken) =>
        db.Posts.FirstOrDefaultAsync(p => p.Id == id, cancellationToken);

    public Task<PostView?> FindViewAsync(int id, CancellationToken cancellationToken) =>
        (from p in db.Posts.Where(p => p.Id == id)
         join u in db.Users on p.AuthorId equals u.Id
         select new PostView(p.Id, u.Username, p.Title, p.Body, p.CreatedAt, p.UpdatedAt, p.Version)).FirstOrDefaultAsync(cancellationToken);

    public async Task<List<PostView>> ListAsync(int? authorId, PostCursor? after, int take, CancellationToken cancellationToken)
    {
        var (sql, parameters) = PageStatement(authorId, after, take);
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddRange(parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var page = new List<PostView>(take);
        while (await reader.ReadAsync(cancellationToken))
        {
            page.Add(new PostView(
                reader.GetInt32(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4),
                reader.GetFieldValue<DateTimeOffset>(5),
                reader.GetInt32(6)));
        }

        return page;
    }

    /// <summary>
    /// The list statement, in raw SQL read straight into <see cref="PostView"/>: Entity
    /// Framework's query cache lookup and materialization cost the API more CPU than the
    /// statement costs PostgreSQL. The row comparison <c>(created_at, id) &lt; ($n, $m)</c> and the
    /// matching <c>ORDER BY created_at DESC, id DESC</c> let PostgreSQL start in the middle of the
    /// (author_id,) created_at DESC, id DESC index and stop after <paramref name="take"/> rows,
    /// however deep the page; the integration tests check the plan, and that the page size written
    /// into the SQL (for the reason of <see cref="InlineTake"/>) lets PostgreSQL cache it.
    /// </summary>
    internal static (string Sql, NpgsqlParameter[] Parameters) PageStatement(int? authorId, PostCursor? after, int take)
    {
        // The count is written into the text: only the bounded page sizes (one more than a limit) may be.
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(take);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(take, Paging.MaxLimit + 1);
        var parameters = new List<NpgsqlParameter>(3);
        var where = new List<string>(2);
        if (authorId is { } author)
        {
            parameters.Add(new NpgsqlParameter<int> { TypedValue = author });
            where.Add("p.author_id = $1");
        }

        if (after is { } cursor)
        {
            parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = cursor.CreatedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            parameters.Add(new NpgsqlParameter<int> { TypedValue = cursor.Id });
            where.Add(string.Create(CultureInfo.InvariantCulture, $"(p.created_at, p.id) < (${parameters.Count - 1}, ${parameters.Count})"));
        }

        var filter = where.Count == 0 ? "" : " WHERE " + string.Join(" AND ", where);
        return (string.Create(CultureInfo.InvariantCulture, $"{PageSql}{filter} ORDER BY p.created_at DESC, p.id DESC LIMIT {take}"), [.. parameters]);
    }
}
