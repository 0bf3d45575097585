using FluentValidation;
using Mediator;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Domain.Posts;

namespace Paseto.Auth.Application.Posts;

/// <param name="Body">The text of the post; omitted means empty.</param>
public sealed record CreatePostCommand(CallerIdentity Caller, string Title, string? Body) : ICommand<PostView>;

public sealed class CreatePostCommandValidator : AbstractValidator<CreatePostCommand>
{
    public CreatePostCommandValidator()
    {
        RuleFor(c => c.Title).PostTitle();
        RuleFor(c => c.Body).PostBody();
    }
}

public sealed class CreatePostCommandHandler(IPostRepository posts, IUnitOfWork unitOfWork, TimeProvider time)
    : ICommandHandler<CreatePostCommand, PostView>
{
    public async ValueTask<PostView> Handle(CreatePostCommand command, CancellationToken cancellationToken)
    {
        var post = Post.Create(command.Caller.UserId, command.Title.Trim(), command.Body ?? string.Empty, time.GetUtcNow());
        posts.Add(post);
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return PostView.From(post, command.Caller.Username);
    }
}
