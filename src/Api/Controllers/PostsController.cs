using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Paseto.Auth.Api.Authentication;
using Paseto.Auth.Api.ErrorHandling;
using Paseto.Auth.Api.OpenApi;
using Paseto.Auth.Api.Requests;
using Paseto.Auth.Application.Common;
using Paseto.Auth.Application.Posts;

namespace Paseto.Auth.Api.Controllers;

[ApiController]
[Route("v1/posts")]
[Produces("application/json")]
[Authorize]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, Problems.ContentType)]
public sealed class PostsController(ISender sender) : ControllerBase
{
    private const string ETagDescription = "The post's version as an entity tag, e.g. \"7-1\": send it back in If-Match to change or delete only that version.";

    /// <summary>Writes a post as the caller; the answer carries its <c>ETag</c>.</summary>
    [HttpPost]
    [Consumes("application/json")]
    [ProducesResponseType<PostView>(StatusCodes.Status201Created)]
    [ResponseHeader(StatusCodes.Status201Created, "ETag", ETagDescription)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    public async Task<ActionResult<PostView>> CreatePost(CreatePostRequest request, CancellationToken cancellationToken)
    {
        var post = WithETag(await sender.Send(request.ToCommand(HttpContext.GetCaller()), cancellationToken));
        return CreatedAtAction(nameof(GetPost), new { id = post.Id }, post);
    }

    /// <summary>Posts, newest first, a page at a time; pass <c>next_cursor</c> back as <c>cursor</c> for the next page.</summary>
    /// <param name="limit">Posts per page, 1–100 (default 20).</param>
    /// <param name="cursor">The <c>next_cursor</c> of the previous page.</param>
    /// <param name="author">Only this author's posts (username, any case).</param>
    [HttpGet]
    [ProducesResponseType<PostPage>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    public async Task<PostPage> ListPosts(int? limit, string? cursor, string? author, CancellationToken cancellationToken) =>
        await sender.Send(new ListPostsQuery(limit ?? Paging.DefaultLimit, cursor, author), cancellationToken);

    /// <summary>One post, with its <c>ETag</c>; 304 without a body when <c>If-None-Match</c> names the current one.</summary>
    /// <param name="ifNoneMatch">ETags the client has (or <c>*</c>); when one is the post's current tag (weak comparison), the answer is 304 with the <c>ETag</c> and no body.</param>
    [HttpGet("{id:int}")]
    [ProducesResponseType<PostView>(StatusCodes.Status200OK)]
    [ProducesResponseType(StatusCodes.Status304NotModified)]
    [ResponseHeader(StatusCodes.Status200OK, "ETag", ETagDescription)]
    [ResponseHeader(StatusCodes.Status304NotModified, "ETag", ETagDescription)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public async Task<ActionResult<PostView>> GetPost(int id, [FromHeader(Name = "If-None-Match")] string? ifNoneMatch, CancellationToken cancellationToken)
    {
        var post = WithETag(await sender.Send(new GetPostQuery(id), cancellationToken));
        return PostETag.IfNoneMatchNames(ifNoneMatch, post.Id, post.Version) ? StatusCode(StatusCodes.Status304NotModified) : post;
    }

    /// <summary>Changes the title and/or body. Only the author or an admin may.</summary>
    /// <param name="ifMatch">The <c>ETag</c> the change was based on; if the post has changed since, nothing is changed and the answer is 412.</param>
    [HttpPatch("{id:int}")]
    [Consumes("application/json")]
    [ProducesResponseType<PostView>(StatusCodes.Status200OK)]
    [ResponseHeader(StatusCodes.Status200OK, "ETag", ETagDescription)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, Problems.ContentType)]
    public async Task<PostView> UpdatePost(
        int id,
        UpdatePostRequest request,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        CancellationToken cancellationToken)
    {
        var caller = HttpContext.GetCaller();
        var command = await WithIfMatchAsync(id, ifMatch, versions => request.ToCommand(caller, id, versions), cancellationToken);
        return WithETag(await sender.Send(command, cancellationToken));
    }

    /// <summary>Deletes a post. Only the author or an admin may.</summary>
    /// <param name="ifMatch">The <c>ETag</c> the deletion was based on; if the post has changed since, it stays and the answer is 412.</param>
    [HttpDelete("{id:int}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, Problems.ContentType)]
    public async Task<NoContentResult> DeletePost(int id, [FromHeader(Name = "If-Match")] string? ifMatch, CancellationToken cancellationToken)
    {
        var caller = HttpContext.GetCaller();
        await sender.Send(await WithIfMatchAsync(id, ifMatch, versions => new DeletePostCommand(caller, id, versions), cancellationToken), cancellationToken);
        return NoContent();
    }

    private PostView WithETag(PostView post)
    {
        Response.Headers.ETag = PostETag.Format(post.Id, post.Version);
        return post;
    }

    /// <summary>
    /// The command with the versions <c>If-Match</c> names; a malformed header is a 400 beside the
    /// command's own validation errors.
    /// </summary>
    private async Task<TCommand> WithIfMatchAsync<TCommand>(int id, string? ifMatch, Func<IReadOnlySet<int>?, TCommand> command, CancellationToken cancellationToken) =>
        PostETag.TryReadIfMatch(ifMatch, id, out var versions)
            ? command(versions)
            : throw await HeaderErrors.WithCommandErrorsAsync(HttpContext, command(null), PostETag.IfMatchKey, PostETag.IfMatchMalformed, cancellationToken);
}
