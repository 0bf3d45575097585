using Microsoft.Extensions.Options;
using Paseto.Auth.Application;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Email;
using Paseto.Auth.Application.Passkeys;
using Paseto.Auth.Application.SecondFactor;
using Paseto.Auth.Domain.Users;
using Paseto.Auth.Infrastructure.Security;
using Paseto.Auth.Paseto;

namespace Paseto.Auth.UnitTests.Fakes;

/// <summary>
/// The second factors of handler tests whose users have none: anything that would read or
/// change one fails the test, since a user without <c>mfa_enabled</c> must never reach them.
/// </summary>
internal sealed class NoSecondFactors : ISecondFactorRepository
{
    public static SecondFactorCheck Check(FakeStore store)
    {
        var options = Options.Create(new AuthOptions());
        var passkeys = new NoPasskeys();
        var mail = new AccountMail(new FakeMailOutbox(), new NoThrottle(), options);
        return new SecondFactorCheck(new NoSecondFactors(), passkeys, passkeys, new PasskeyVerifier(passkeys, passkeys, store.Events, mail, store.UnitOfWork), new Rfc6238Totp(options), new FactorSecretSealer([SymmetricKey.Generate()]),
            new NoThrottle(), store.Events, mail, store.UnitOfWork, options, store.Time);
    }

    public Task<TotpFactor?> FindTotpAsync(int userId, CancellationToken cancellationToken) => throw Unexpected();

    public Task<int> CountFactorsAsync(int userId, CancellationToken cancellationToken) => throw Unexpected();

    public void AddTotp(TotpFactor factor) => throw Unexpected();

    public void RemoveTotp(TotpFactor factor) => throw Unexpected();

    public Task<int> DeleteAllAsync(int userId, CancellationToken cancellationToken) => throw Unexpected();

    public Task<bool> TryUseTotpStepAsync(Guid factorId, long timeStep, CancellationToken cancellationToken) => throw Unexpected();

    public Task ReplaceRecoveryCodesAsync(int userId, IReadOnlyList<byte[]> codeHashes, DateTimeOffset now, CancellationToken cancellationToken) => throw Unexpected();

    public Task<bool> TryUseRecoveryCodeAsync(int userId, byte[] codeHash, DateTimeOffset now, CancellationToken cancellationToken) => throw Unexpected();

    public Task<int> CountUnusedRecoveryCodesAsync(int userId, CancellationToken cancellationToken) => throw Unexpected();

    public void AddChallenge(MfaChallenge challenge) => throw Unexpected();

    public Task<MfaChallenge?> FindChallengeAsync(byte[] tokenHash, DateTimeOffset now, CancellationToken cancellationToken) => throw Unexpected();

    public Task<MfaChallenge?> FindChallengeByIdAsync(Guid challengeId, DateTimeOffset now, CancellationToken cancellationToken) => throw Unexpected();

    public Task<int?> TryTakeChallengeAttemptAsync(Guid challengeId, int maxAttempts, DateTimeOffset now, CancellationToken cancellationToken) => throw Unexpected();

    public Task<bool> TryUseChallengeAsync(Guid challengeId, DateTimeOffset now, CancellationToken cancellationToken) => throw Unexpected();

    private static InvalidOperationException Unexpected() => new("A user without a second factor reached the second-factor store.");
}
