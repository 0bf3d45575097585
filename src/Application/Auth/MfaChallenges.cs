using Microsoft.Extensions.Options;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Common;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Application.SecondFactor;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Application.Auth;

/// <summary>The pending logins of accounts with a second factor: the <c>mfa_token</c>s.</summary>
public sealed class MfaChallenges(ISecondFactorRepository factors, IPasskeyRepository passkeys, IUnitOfWork unitOfWork, IOptions<AuthOptions> options)
{
    /// <summary>
    /// Stores a challenge for a login whose password was right (its token as a SHA-256 only, in
    /// PostgreSQL, so any instance can finish the login) with what else the login changed, and
    /// answers with the token: always throws.
    /// </summary>
    /// <exception cref="SecondFactorRequiredException">Always: 403 <c>/problems/mfa-required</c> with the token and the methods.</exception>
    public async Task IssueAsync(User user, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (token, hash) = OpaqueToken.Create();
        factors.AddChallenge(MfaChallenge.Start(hash, user, now, options.Value.Mfa.ChallengeLifetime));
        var totp = await factors.FindTotpAsync(user.Id, cancellationToken);
        var hasPasskey = await passkeys.CountAsync(user.Id, cancellationToken) > 0;
        await unitOfWork.SaveChangesAsync(cancellationToken);
        ServiceMetrics.Login(LoginOutcomes.MfaRequired);
        throw new SecondFactorRequiredException(token, SecondFactorCheck.MethodsOf(totp, hasPasskey));
    }
}
