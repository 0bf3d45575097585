using Mediator;
using Paseto.Auth.Application.Abstractions;

namespace Paseto.Auth.Application.Posts;

/// <param name="ExpectedVersions">The versions the deletion was based on: the post goes only while it has one of them (none does when empty). Null deletes whatever version is current.</param>
public sealed record DeletePostCommand(CallerIdentity Caller, int Id, IReadOnlySet<int>? ExpectedVersions) : ICommand;

public sealed class DeletePostCommandHandler(IPostRepository posts, IUnitOfWork unitOfWork) : ICommandHandler<DeletePostCommand>
{
    public async ValueTask<Unit> Handle(DeletePostCommand command, CancellationToken cancellationToken)
    {
        await PostChanges.ApplyAsync(posts, unitOfWork, command.Caller, command.Id, command.ExpectedVersions, posts.Remove, cancellationToken);
        return Unit.Value;
    }
}
