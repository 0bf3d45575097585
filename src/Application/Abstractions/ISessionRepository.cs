using Paseto.Auth.Domain.Sessions;

namespace Paseto.Auth.Application.Abstractions;

/// <summary>What a refresh's rotation left: the session's new refresh window, and who the new access token is for.</summary>
public sealed record RotatedSession(Guid SessionId, int UserId, string Username, string Role, DateTimeOffset RefreshExpiresAt);

public interface ISessionRepository
{
    void Add(Session session);

    Task<Session?> FindAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>
    /// Spends the refresh token with this hash, in one statement and commit: if it is the current
    /// token of a session that may refresh (<see cref="Session.CanRefresh"/>) of an active user,
    /// the session takes <paramref name="newHash"/> as <see cref="Session.Rotate"/> does and the
    /// old hash is recorded as spent. Null when it is not, or when a concurrent refresh spent it
    /// first (the session's row lock orders them; the later one finds the token gone).
    /// </summary>
    Task<RotatedSession?> RotateRefreshTokenAsync(byte[] hash, byte[] newHash, DateTimeOffset now, TimeSpan refreshLifetime, CancellationToken cancellationToken);

    /// <summary>The session a spent refresh token belonged to, if this hash was ever spent.</summary>
    Task<Guid?> FindSessionOfSpentTokenAsync(byte[] hash, CancellationToken cancellationToken);

    /// <summary>The user's active sessions, oldest first, tracked for changes.</summary>
    Task<List<Session>> ListActiveAsync(int userId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Revokes every active session of the user but <paramref name="exceptSessionId"/>; joins the current transaction.</summary>
    Task<IReadOnlyList<Guid>> RevokeAllAsync(int userId, Guid? exceptSessionId, string reason, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Revokes the session if it is still active; joins the current transaction. Returns its user when it was revoked now.</summary>
    Task<int?> RevokeNowAsync(Guid id, string reason, DateTimeOffset now, CancellationToken cancellationToken);
}
