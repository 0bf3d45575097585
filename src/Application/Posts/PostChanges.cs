using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Domain.Posts;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Application.Posts;

/// <summary>
/// The one way a post changes or goes: find it (404), check the caller is its author or an admin
/// (403), check it still has one of the versions the change was based on (412), apply, commit.
/// The commit is conditional on the version that was read (<c>UPDATE … WHERE id = … AND version
/// = …</c>), so of two writers holding the same version exactly one wins. The loser, if it named
/// versions, gets 412; without (the client sent no <c>If-Match</c>, or <c>*</c>) it asked for
/// last-writer-wins, so the change is applied again to the newer post, a few times at most.
/// </summary>
internal static class PostChanges
{
    public const string NotFound = "No post has this id.";
    public const int Attempts = 3;

    private const string Stale = "The post has changed since this version was read; read it again and retry.";

    public static async Task<Post> ApplyAsync(
        IPostRepository posts,
        IUnitOfWork unitOfWork,
        CallerIdentity caller,
        int id,
        IReadOnlySet<int>? expectedVersions,
        Action<Post> change,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var post = await posts.FindAsync(id, cancellationToken) ?? throw new NotFoundException(NotFound);
            if (post.AuthorId != caller.UserId && caller.Role != Roles.Admin)
            {
                throw new ForbiddenException("Only the author or an admin may change or delete this post.");
            }

            if (expectedVersions is not null && !expectedVersions.Contains(post.Version))
            {
                throw new PreconditionFailedException(Stale);
            }

            change(post);
            try
            {
                await unitOfWork.SaveChangesAsync(cancellationToken);
                return post;
            }
            catch (ConcurrencyException) when (expectedVersions is not null)
            {
                throw new PreconditionFailedException(Stale);
            }
            catch (ConcurrencyException) when (attempt < Attempts)
            {
                // Someone else wrote first; the unit of work has forgotten the stale row, read it again.
            }
        }
    }
}
