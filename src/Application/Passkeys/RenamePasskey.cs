using FluentValidation;
using Mediator;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Exceptions;

namespace Paseto.Auth.Application.Passkeys;

public sealed record RenamePasskeyCommand(int UserId, Guid Id, string Name) : ICommand<PasskeyView>;

public sealed class RenamePasskeyCommandValidator : AbstractValidator<RenamePasskeyCommand>
{
    public RenamePasskeyCommandValidator() =>
        RuleFor(c => c.Name).Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage("The name is required.").PasskeyName();
}

/// <summary>Renames one of the caller's passkeys; another user's id is not found (404), as an unknown one.</summary>
public sealed class RenamePasskeyCommandHandler(IPasskeyRepository passkeys, IUnitOfWork unitOfWork) : ICommandHandler<RenamePasskeyCommand, PasskeyView>
{
    public async ValueTask<PasskeyView> Handle(RenamePasskeyCommand command, CancellationToken cancellationToken)
    {
        var passkey = await passkeys.FindAsync(command.UserId, command.Id, cancellationToken)
            ?? throw new NotFoundException("No such passkey.");
        passkey.Rename(command.Name.Trim());
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return PasskeyView.From(passkey);
    }
}
