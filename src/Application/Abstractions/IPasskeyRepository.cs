using Paseto.Auth.Domain.Passkeys;

namespace Paseto.Auth.Application.Abstractions;

/// <summary>
/// The passkeys of users and the WebAuthn ceremonies waiting to be finished (DESIGN §11). Every
/// "at most once" here is one statement (a <c>DELETE … RETURNING</c> or a conditional
/// <c>UPDATE</c>), so parallel requests get one success between them, on any instance.
/// </summary>
public interface IPasskeyRepository
{
    /// <summary>The user's passkeys, oldest first, untracked.</summary>
    Task<List<Passkey>> ListAsync(int userId, CancellationToken cancellationToken);

    /// <summary>The user's passkey with this API id, tracked; null for none or another user's.</summary>
    Task<Passkey?> FindAsync(int userId, Guid id, CancellationToken cancellationToken);

    /// <summary>The passkey with this credential id, whoever's it is, untracked.</summary>
    Task<Passkey?> FindByCredentialIdAsync(byte[] credentialId, CancellationToken cancellationToken);

    Task<int> CountAsync(int userId, CancellationToken cancellationToken);

    Task<bool> CredentialIdTakenAsync(byte[] credentialId, CancellationToken cancellationToken);

    void Add(Passkey passkey);

    void Remove(Passkey passkey);

    /// <summary>
    /// Records a sign-in with the passkey: the new counter and the time, in one conditional
    /// update that holds only while a non-zero <paramref name="newCount"/> is above the stored
    /// one, so of two assertions racing with one counter one wins. False when another sign-in
    /// moved the counter to it or past it first.
    /// </summary>
    Task<bool> TryRecordUseAsync(Guid passkeyId, long newCount, bool backedUp, DateTimeOffset now, CancellationToken cancellationToken);

    void AddChallenge(PasskeyChallenge challenge);

    /// <summary>
    /// Deletes and returns the unexpired challenge with this id, only if it was started for
    /// <paramref name="purposes"/> (one of them) and, when <paramref name="userId"/> is given, for
    /// that user: null when there is none (unknown, expired, consumed already, or another's).
    /// </summary>
    Task<PasskeyChallenge?> TryConsumeChallengeAsync(Guid challengeId, IReadOnlyList<string> purposes, int? userId, DateTimeOffset now, CancellationToken cancellationToken);
}
