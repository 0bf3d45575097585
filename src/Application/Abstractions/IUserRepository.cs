using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Application.Abstractions;

public interface IUserRepository
{
    /// <summary>
    /// Finds a user by username or email, case-insensitively, <em>not tracked</em>: a failed or
    /// refused login, which must cost the same whether or not the name has an account, then
    /// changes nothing. Call <see cref="Track"/> before changing the user.
    /// </summary>
    Task<User?> FindByLoginAsync(string login, CancellationToken cancellationToken);

    /// <summary>Tracks a user read untracked, as read, so that what changes on it from now on is saved.</summary>
    void Track(User user);

    Task<User?> FindByUsernameAsync(string username, CancellationToken cancellationToken);

    Task<User?> FindByIdAsync(int id, CancellationToken cancellationToken);

    /// <summary>
    /// The user whose email (not username) is <paramref name="email"/>, case-insensitively, untracked:
    /// a password-reset request reads the account and changes nothing of it, and tracking it would
    /// make the answer for an existing address measurably slower than for an unknown one.
    /// </summary>
    Task<User?> FindByEmailAsync(string email, CancellationToken cancellationToken);

    /// <summary>Whether another user than <paramref name="exceptUserId"/> has this email (case-insensitively).</summary>
    Task<bool> EmailTakenAsync(string email, int exceptUserId, CancellationToken cancellationToken);

    void Add(User user);

    /// <summary>Users with ids above <paramref name="afterId"/>, ascending, optionally whose username or email starts with <paramref name="prefix"/>.</summary>
    Task<List<User>> ListAsync(int afterId, int limit, string? prefix, CancellationToken cancellationToken);

    /// <summary>Locks every active admin's row and counts them: the last-admin rule is decided under this lock.</summary>
    Task<int> LockActiveAdminsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Locks the user's row until the transaction ends and returns its current credential stamp
    /// (null when the user is gone): serialises per-user decisions such as the session limit, and
    /// a session start against a credential change.
    /// </summary>
    Task<Guid?> LockAsync(int userId, CancellationToken cancellationToken);

    /// <summary>
    /// The user's WebAuthn user handle: the stored one, or <paramref name="candidate"/> stored now
    /// when there is none, in one statement, so parallel first ceremonies all get the one kept.
    /// </summary>
    Task<byte[]> EnsurePasskeyUserHandleAsync(int userId, byte[] candidate, CancellationToken cancellationToken);

    /// <summary>
    /// Locks the user's row until the transaction ends and refreshes the tracked
    /// <paramref name="user"/> from it: a decision on the account's factors is made on what is
    /// stored now, and a flag set back to the value read before the lock is still written.
    /// </summary>
    Task LockAndRefreshAsync(User user, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="LockAsync"/> for a login's session, in the same round trip: also tells whether
    /// the user has any device yet and how many sessions are active at <paramref name="now"/>
    /// (both read under the lock, so parallel first logins agree and parallel logins never pass
    /// the session limit together), and gives back the login's throttle reservation
    /// (<paramref name="succeeded"/>, see <see cref="IThrottle.SucceededAsync"/>), so that the
    /// settlement commits with the session.
    /// </summary>
    Task<LoginLock> LockForLoginAsync(int userId, DateTimeOffset now, ThrottleAttempt? succeeded, CancellationToken cancellationToken);
}

/// <summary>What <see cref="IUserRepository.LockForLoginAsync"/> read under the user's lock.</summary>
/// <param name="CredentialStamp">The user's current credential stamp; null when the user is gone.</param>
/// <param name="HasDevices">Whether any device of the user was ever registered (the user logged in before).</param>
/// <param name="ActiveSessions">The user's sessions neither revoked nor expired.</param>
public sealed record LoginLock(Guid? CredentialStamp, bool HasDevices, int ActiveSessions);
