using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Application.Abstractions;

/// <summary>
/// The second factors of users (DESIGN §9): TOTP factors, recovery codes, and the logins waiting
/// for a factor. Every "at most once" here is one conditional <c>UPDATE</c>, so parallel requests
/// with the same code or token get one success between them, on any instance.
/// </summary>
public interface ISecondFactorRepository
{
    /// <summary>The user's TOTP factor, pending or confirmed, tracked; null when there is none.</summary>
    Task<TotpFactor?> FindTotpAsync(int userId, CancellationToken cancellationToken);

    /// <summary>The user's factors as stored now (a confirmed TOTP factor and every passkey), read afresh, never from tracked entities.</summary>
    Task<int> CountFactorsAsync(int userId, CancellationToken cancellationToken);

    void AddTotp(TotpFactor factor);

    void RemoveTotp(TotpFactor factor);

    /// <summary>Deletes every factor and recovery code of the user; returns how many factors there were.</summary>
    Task<int> DeleteAllAsync(int userId, CancellationToken cancellationToken);

    /// <summary>Records <paramref name="timeStep"/> as the factor's last used time step if it is later than the one recorded; false when it is not (a replay).</summary>
    Task<bool> TryUseTotpStepAsync(Guid factorId, long timeStep, CancellationToken cancellationToken);

    /// <summary>Deletes the user's recovery codes and adds these (hashes only).</summary>
    Task ReplaceRecoveryCodesAsync(int userId, IReadOnlyList<byte[]> codeHashes, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Marks the user's unused recovery code with this hash used; false when there is none.</summary>
    Task<bool> TryUseRecoveryCodeAsync(int userId, byte[] codeHash, DateTimeOffset now, CancellationToken cancellationToken);

    Task<int> CountUnusedRecoveryCodesAsync(int userId, CancellationToken cancellationToken);

    void AddChallenge(MfaChallenge challenge);

    /// <summary>The unused, unexpired challenge whose token hashes to <paramref name="tokenHash"/>, untracked.</summary>
    Task<MfaChallenge?> FindChallengeAsync(byte[] tokenHash, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The unused, unexpired challenge with this id, untracked.</summary>
    Task<MfaChallenge?> FindChallengeByIdAsync(Guid challengeId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Counts one more code tried with the challenge, only while it is unused, unexpired and below
    /// <paramref name="maxAttempts"/>: returns the count reached, or null when the challenge is dead.
    /// </summary>
    Task<int?> TryTakeChallengeAttemptAsync(Guid challengeId, int maxAttempts, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Spends the challenge; false when another request spent it first or it expired.</summary>
    Task<bool> TryUseChallengeAsync(Guid challengeId, DateTimeOffset now, CancellationToken cancellationToken);
}
