using Paseto.Auth.Domain.Sessions;

namespace Paseto.Auth.Application.Abstractions;

public interface ISessionRepository
{
    void Add(Session session);

    void AddSpent(SpentRefreshToken spent);

    Task<Session?> FindAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>The session whose current refresh token has this hash, if any.</summary>
    Task<Session?> FindByRefreshTokenAsync(byte[] hash, CancellationToken cancellationToken);

    /// <summary>The session a spent refresh token belonged to, if this hash was ever spent.</summary>
    Task<Guid?> FindSessionOfSpentTokenAsync(byte[] hash, CancellationToken cancellationToken);

    /// <summary>The user's active sessions, oldest first, tracked for changes.</summary>
    Task<List<Session>> ListActiveAsync(int userId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Revokes every active session of the user but <paramref name="exceptSessionId"/>; joins the current transaction.</summary>
    Task<IReadOnlyList<Guid>> RevokeAllAsync(int userId, Guid? exceptSessionId, string reason, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Revokes the session if it is still active; joins the current transaction. Returns its user when it was revoked now.</summary>
    Task<int?> RevokeNowAsync(Guid id, string reason, DateTimeOffset now, CancellationToken cancellationToken);
}
