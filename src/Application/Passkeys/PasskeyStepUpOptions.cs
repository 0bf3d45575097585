using Mediator;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Domain.Passkeys;

namespace Paseto.Auth.Application.Passkeys;

public sealed record PasskeyStepUpOptionsCommand(CallerIdentity Caller) : ICommand<PasskeyCeremony>;

/// <summary>
/// Request options for proving, during a risky change (removing a passkey, adding another, …),
/// that the signed-in user holds one of their passkeys: they list the user's passkeys, and the
/// challenge is bound to the user and to step-ups, so it signs in nobody.
/// </summary>
public sealed class PasskeyStepUpOptionsCommandHandler(
    IPasskeyRepository passkeys,
    IPasskeyCeremonies ceremonies,
    PasskeyChallenges challenges,
    TimeProvider time) : ICommandHandler<PasskeyStepUpOptionsCommand, PasskeyCeremony>
{
    public async ValueTask<PasskeyCeremony> Handle(PasskeyStepUpOptionsCommand command, CancellationToken cancellationToken)
    {
        var own = await passkeys.ListAsync(command.Caller.UserId, cancellationToken);
        if (own.Count == 0)
        {
            throw new ConflictException("The account has no passkey to verify with.");
        }

        var options = ceremonies.RequestOptions([.. own.Select(p => p.CredentialId)]);
        return await challenges.StartAsync(PasskeyPurposes.StepUp, command.Caller.UserId, null, options, time.GetUtcNow(), cancellationToken);
    }
}
