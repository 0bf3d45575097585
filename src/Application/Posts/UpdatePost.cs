using FluentValidation;
using Mediator;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Exceptions;

namespace Paseto.Auth.Application.Posts;

/// <summary>Changes the fields given; a null or missing field stays as it is.</summary>
/// <param name="ExpectedVersions">The versions the change was based on: it applies only while the post has one of them (none does when empty). Null applies it to whatever version is current.</param>
public sealed record UpdatePostCommand(CallerIdentity Caller, int Id, string? Title, string? Body, IReadOnlySet<int>? ExpectedVersions) : ICommand<PostView>;

public sealed class UpdatePostCommandValidator : AbstractValidator<UpdatePostCommand>
{
    public UpdatePostCommandValidator()
    {
        RuleFor(c => c.Title).PostTitle().When(c => c.Title is not null);
        RuleFor(c => c.Body).PostBody().When(c => c.Body is not null);
    }
}

/// <summary>A change that alters nothing keeps the version as it was.</summary>
public sealed class UpdatePostCommandHandler(IPostRepository posts, IUserRepository users, IUnitOfWork unitOfWork, TimeProvider time)
    : ICommandHandler<UpdatePostCommand, PostView>
{
    public async ValueTask<PostView> Handle(UpdatePostCommand command, CancellationToken cancellationToken)
    {
        var title = command.Title?.Trim();
        var post = await PostChanges.ApplyAsync(
            posts, unitOfWork, command.Caller, command.Id, command.ExpectedVersions,
            target => target.Edit(title, command.Body, time.GetUtcNow()),
            cancellationToken);

        var author = post.AuthorId == command.Caller.UserId
            ? command.Caller.Username
            : (await users.FindByIdAsync(post.AuthorId, cancellationToken))?.Username ?? throw new NotFoundException(PostChanges.NotFound);
        return PostView.From(post, author);
    }
}
