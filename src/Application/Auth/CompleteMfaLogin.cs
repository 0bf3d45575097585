using FluentValidation;
using Mediator;
using Microsoft.Extensions.Options;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Common;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Application.SecondFactor;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Application.Auth;

/// <param name="MfaToken">The token of the <c>mfa-required</c> answer to the password step.</param>
/// <param name="DeviceToken">The device token an earlier login on this device returned, as at the password step.</param>
public sealed record CompleteMfaLoginCommand(string MfaToken, SecondFactorProof Proof, string? DeviceToken, ClientInfo Client) : ICommand<TokenResponse>;

public sealed class CompleteMfaLoginCommandValidator : AbstractValidator<CompleteMfaLoginCommand>
{
    public CompleteMfaLoginCommandValidator()
    {
        RuleFor(c => c.MfaToken).NotEmpty().WithMessage("The mfa_token is required.")
            .MaximumLength(OpaqueToken.EncodedLength).WithMessage("The mfa_token is not one this service issues.");
        this.SecondFactorProof(c => c.Proof);
    }
}

/// <summary>
/// Finishes a login whose password step answered <c>mfa-required</c>, and starts its session as a
/// password login does (device, session limit, events), recording the factor among the session's
/// authentication methods.
/// </summary>
/// <remarks>
/// Each code tried is counted on the challenge before it is checked, by one conditional update,
/// so however many arrive at once, at most <c>Auth:Mfa:AttemptsPerChallenge</c> are ever checked
/// with one token; the last wrong one leaves it dead. The challenge is bound to the credential
/// stamp the password was verified against: a password change or a deactivation since kills it.
/// A right code spends the challenge (one conditional update again), so it logs in once.
/// </remarks>
public sealed class CompleteMfaLoginCommandHandler(
    IUserRepository users,
    ISecondFactorRepository factors,
    SecondFactorCheck check,
    LoginCompletion completion,
    IUnitOfWork unitOfWork,
    IOptions<AuthOptions> options,
    TimeProvider time) : ICommandHandler<CompleteMfaLoginCommand, TokenResponse>
{
    public async ValueTask<TokenResponse> Handle(CompleteMfaLoginCommand command, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var challenge = OpaqueToken.TryHash(command.MfaToken, out var hash)
            ? await factors.FindChallengeAsync(hash, now, cancellationToken)
            : null;
        var user = challenge is null ? null : await users.FindByIdAsync(challenge.UserId, cancellationToken);
        if (challenge is null || user is not { IsActive: true, MfaEnabled: true } || user.CredentialStamp != challenge.CredentialStamp)
        {
            throw new SecondFactorException(SecondFactorFailure.LoginExpired);
        }

        if (command.Proof.IsEmpty)
        {
            // Nothing to check: no attempt is spent on a request that forgot its code.
            throw new SecondFactorException(SecondFactorFailure.Missing);
        }

        var maxAttempts = options.Value.Mfa.AttemptsPerChallenge;
        var attempts = await factors.TryTakeChallengeAttemptAsync(challenge.Id, maxAttempts, now, cancellationToken)
            ?? throw new SecondFactorException(SecondFactorFailure.LoginExpired);

        string method;
        try
        {
            method = await check.VerifyAsync(user, command.Proof, command.Client, null, "login", cancellationToken);
        }
        catch (SecondFactorException) when (attempts >= maxAttempts)
        {
            check.RecordFailureLimit(user, now, command.Client, null, "mfa_token_spent");
            await unitOfWork.SaveChangesAsync(cancellationToken);
            throw new SecondFactorException(SecondFactorFailure.LoginExpired);
        }

        if (!await factors.TryUseChallengeAsync(challenge.Id, now, cancellationToken))
        {
            throw new SecondFactorException(SecondFactorFailure.LoginExpired);
        }

        var device = await completion.FindDeviceAsync(user.Id, command.DeviceToken, cancellationToken);
        return await completion.FinishAsync(user, device, command.DeviceToken, command.Client, [AuthMethods.Password, method], now, cancellationToken);
    }
}
