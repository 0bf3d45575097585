using FluentValidation;
using Mediator;
using Paseto.Auth.Application.Abstractions;

namespace Paseto.Auth.Application.Posts;

/// <param name="IfMatch">The <c>If-Match</c> header, if any: the post goes only if it still has one of these ETags.</param>
public sealed record DeletePostCommand(CallerIdentity Caller, int Id, string? IfMatch) : ICommand;

public sealed class DeletePostCommandValidator : AbstractValidator<DeletePostCommand>
{
    public DeletePostCommandValidator() => RuleFor(c => c.IfMatch).IfMatchHeader();
}

public sealed class DeletePostCommandHandler(IPostRepository posts, IUnitOfWork unitOfWork) : ICommandHandler<DeletePostCommand>
{
    public async ValueTask<Unit> Handle(DeletePostCommand command, CancellationToken cancellationToken)
    {
        await PostChanges.ApplyAsync(posts, unitOfWork, command.Caller, command.Id, command.IfMatch, posts.Remove, cancellationToken);
        return Unit.Value;
    }
}
