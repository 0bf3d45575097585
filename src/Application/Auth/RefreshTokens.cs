using FluentValidation;
using Mediator;
using Microsoft.Extensions.Options;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Common;
using Paseto.Auth.Application.Email;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Application.SecurityEvents;
using Paseto.Auth.Application.Sessions;
using Paseto.Auth.Domain.Email;
using Paseto.Auth.Domain.SecurityEvents;
using Paseto.Auth.Domain.Sessions;

namespace Paseto.Auth.Application.Auth;

public sealed record RefreshTokensCommand(string RefreshToken, ClientInfo Client) : ICommand<TokenResponse>;

public sealed class RefreshTokensCommandValidator : AbstractValidator<RefreshTokensCommand>
{
    public RefreshTokensCommandValidator() =>
        RuleFor(c => c.RefreshToken).NotEmpty().WithMessage("A refresh token is required.");
}

/// <summary>
/// Exchanges a refresh token for a new pair and spends it. A spent token presented again means
/// two parties hold it (a thief, or a client that lost a race): the session is revoked and both
/// are refused. Of two refreshes racing with one token, the row's generation lets exactly one
/// commit; the other is treated as reuse.
/// </summary>
public sealed class RefreshTokensCommandHandler(
    IUserRepository users,
    ISessionRepository sessions,
    ISecurityEventRepository events,
    SessionIssuer issuer,
    AccountMail mail,
    IUnitOfWork unitOfWork,
    IOptions<AuthOptions> options,
    TimeProvider time) : ICommandHandler<RefreshTokensCommand, TokenResponse>
{
    public async ValueTask<TokenResponse> Handle(RefreshTokensCommand command, CancellationToken cancellationToken)
    {
        if (!OpaqueToken.TryHash(command.RefreshToken, out var hash))
        {
            throw Invalid();
        }

        var now = time.GetUtcNow();
        // The check and the rotation in one statement: one round trip and one commit.
        var (refreshToken, newHash) = OpaqueToken.Create();
        var rotated = await sessions.RotateRefreshTokenAsync(hash, newHash, now, options.Value.RefreshTokenLifetime, cancellationToken);
        if (rotated is null)
        {
            // Spent before (by this client, a thief, or a refresh that won the race an instant
            // ago, which committed the spent record before this statement could lock the row):
            // two parties hold the token.
            if (await sessions.FindSessionOfSpentTokenAsync(hash, cancellationToken) is { } reusedSession)
            {
                await RevokeForReuseAsync(reusedSession, command.Client, now, cancellationToken);
                throw Refused();
            }

            throw Invalid();
        }

        ServiceMetrics.TokenRefresh(RefreshOutcomes.Rotated);
        return issuer.Issue(new AccessTokenSubject(rotated.UserId, rotated.Username, rotated.Role, rotated.SessionId), rotated.RefreshExpiresAt, refreshToken, now);
    }

    /// <summary>One answer for every refusal; the metric tells reuse from the rest.</summary>
    private static InvalidCredentialsException Refused() => new("The refresh token is invalid, expired or revoked.");

    private static InvalidCredentialsException Invalid()
    {
        ServiceMetrics.TokenRefresh(RefreshOutcomes.Invalid);
        return Refused();
    }

    /// <summary>Ends the session whose spent token came back, and records why, in one transaction.</summary>
    private Task<Guid> RevokeForReuseAsync(Guid sessionId, ClientInfo client, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ServiceMetrics.TokenRefresh(RefreshOutcomes.ReuseDetected);
        return unitOfWork.InTransactionAsync(async ct =>
        {
            if (await sessions.RevokeNowAsync(sessionId, RevokeReasons.RefreshReuse, now, ct) is { } userId)
            {
                events.Add(SecurityEventFactory.Create(userId, SecurityEventTypes.RefreshReuseDetected, now, client, sessionId));
                events.Add(SecurityEventFactory.SessionRevoked(userId, sessionId, RevokeReasons.RefreshReuse, now, client));
                if (await users.FindByIdAsync(userId, ct) is { } user)
                {
                    mail.QueueNotice(user, MailKinds.RefreshReuseDetected, now, client);
                }

                await unitOfWork.SaveChangesAsync(ct);
            }

            return sessionId;
        }, cancellationToken);
    }
}
