using FluentValidation;
using Mediator;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Exceptions;

namespace Paseto.Auth.Application.Posts;

/// <summary>Changes the fields given; a null or missing field stays as it is.</summary>
/// <param name="IfMatch">The <c>If-Match</c> header, if any: the change applies only to a post with one of these ETags.</param>
public sealed record UpdatePostCommand(CallerIdentity Caller, int Id, string? Title, string? Body, string? IfMatch) : ICommand<PostView>;

public sealed class UpdatePostCommandValidator : AbstractValidator<UpdatePostCommand>
{
    public UpdatePostCommandValidator()
    {
        RuleFor(c => c.Title).PostTitle().When(c => c.Title is not null);
        RuleFor(c => c.Body).PostBody().When(c => c.Body is not null);
        RuleFor(c => c.IfMatch).IfMatchHeader();
    }
}

/// <summary>A change that alters nothing keeps the version (and ETag) as it was.</summary>
public sealed class UpdatePostCommandHandler(IPostRepository posts, IUserRepository users, IUnitOfWork unitOfWork, TimeProvider time)
    : ICommandHandler<UpdatePostCommand, PostView>
{
    public async ValueTask<PostView> Handle(UpdatePostCommand command, CancellationToken cancellationToken)
    {
        var title = command.Title?.Trim();
        var post = await PostChanges.ApplyAsync(
            posts, unitOfWork, command.Caller, command.Id, command.IfMatch,
            target => target.Edit(title, command.Body, time.GetUtcNow()),
            cancellationToken);

        var author = post.AuthorId == command.Caller.UserId
            ? command.Caller.Username
            : (await users.FindByIdAsync(post.AuthorId, cancellationToken))?.Username ?? throw new NotFoundException(PostChanges.NotFound);
        return PostView.From(post, author);
    }
}
