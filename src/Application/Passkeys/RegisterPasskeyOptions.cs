using FluentValidation;
using Mediator;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Application.SecondFactor;
using Paseto.Auth.Application.Users;
using Paseto.Auth.Domain.Passkeys;

namespace Paseto.Auth.Application.Passkeys;

public sealed record RegisterPasskeyOptionsCommand(CallerIdentity Caller, string Password, SecondFactorProof Proof) : ICommand<PasskeyCeremony>;

public sealed class RegisterPasskeyOptionsCommandValidator : AbstractValidator<RegisterPasskeyOptionsCommand>
{
    public RegisterPasskeyOptionsCommandValidator()
    {
        RuleFor(c => c.Password).CurrentPassword();
        this.SecondFactorProof(c => c.Proof);
    }
}

/// <summary>
/// Starts adding a passkey: with the password (and, once the account has a factor, a code, a
/// recovery code or an assertion of a passkey it has), creation options for the account's user
/// handle, excluding the passkeys it has, so an authenticator holding one of them says so rather
/// than making a second. The challenge is bound to the caller.
/// </summary>
public sealed class RegisterPasskeyOptionsCommandHandler(
    IUserRepository users,
    IPasskeyRepository passkeys,
    IPasskeyCeremonies ceremonies,
    PasswordGuard passwordGuard,
    SecondFactorCheck check,
    PasskeyChallenges challenges,
    TimeProvider time) : ICommandHandler<RegisterPasskeyOptionsCommand, PasskeyCeremony>
{
    public async ValueTask<PasskeyCeremony> Handle(RegisterPasskeyOptionsCommand command, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(command.Caller.UserId, cancellationToken)
            ?? throw new InvalidCredentialsException();
        await passwordGuard.RequireAsync(command.Caller, user, command.Password, nameof(command.Password), "add_passkey", cancellationToken);
        await check.RequireForStepUpAsync(command.Caller, user, command.Proof, "add_passkey", cancellationToken);

        var handle = await PasskeyChallenges.EnsureUserHandleAsync(users, user, cancellationToken);
        var existing = await passkeys.ListAsync(user.Id, cancellationToken);
        var displayName = string.IsNullOrWhiteSpace(user.Firstname) ? user.Username : user.Firstname;
        var options = ceremonies.CreationOptions(new PasskeyAccount(handle, user.Username, displayName), [.. existing.Select(p => p.CredentialId)]);
        return await challenges.StartAsync(PasskeyPurposes.Registration, user.Id, null, options, time.GetUtcNow(), cancellationToken);
    }
}
