using Mediator;
using Paseto.Auth.Application.Exceptions;

namespace Paseto.Auth.Application.Posts;

/// <summary>Any member may read any post.</summary>
public sealed record GetPostQuery(int Id) : IQuery<PostView>;

public sealed class GetPostQueryHandler(IPostRepository posts) : IQueryHandler<GetPostQuery, PostView>
{
    public async ValueTask<PostView> Handle(GetPostQuery query, CancellationToken cancellationToken) =>
        await posts.FindViewAsync(query.Id, cancellationToken) ?? throw new NotFoundException(PostChanges.NotFound);
}
