using Paseto.Auth.Domain.Sessions;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Application.Abstractions;

/// <summary>A session and its user, read together in one round trip and tracked for changes.</summary>
public sealed record SessionOfUser(Session Session, User User);

public interface ISessionRepository
{
    void Add(Session session);

    void AddSpent(SpentRefreshToken spent);

    Task<Session?> FindAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>The session whose current refresh token has this hash, with its user (one round trip), if any.</summary>
    Task<SessionOfUser?> FindByRefreshTokenAsync(byte[] hash, CancellationToken cancellationToken);

    /// <summary>The session a spent refresh token belonged to, if this hash was ever spent.</summary>
    Task<Guid?> FindSessionOfSpentTokenAsync(byte[] hash, CancellationToken cancellationToken);

    /// <summary>The user's active sessions, oldest first, tracked for changes.</summary>
    Task<List<Session>> ListActiveAsync(int userId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Revokes every active session of the user but <paramref name="exceptSessionId"/>; joins the current transaction.</summary>
    Task<IReadOnlyList<Guid>> RevokeAllAsync(int userId, Guid? exceptSessionId, string reason, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Revokes the session if it is still active; joins the current transaction. Returns its user when it was revoked now.</summary>
    Task<int?> RevokeNowAsync(Guid id, string reason, DateTimeOffset now, CancellationToken cancellationToken);
}
