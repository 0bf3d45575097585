namespace Paseto.Auth.Application.Sessions;

/// <summary>
/// The session list's read. It lives with the Sessions feature rather than in the Abstractions
/// because it answers in the feature's own read model: the user's active sessions and known
/// devices in one database round trip, untracked (nothing in a list is changed afterwards).
/// </summary>
public interface ISessionListReader
{
    /// <summary>
    /// The user's sessions that are neither revoked nor expired at <paramref name="now"/>, newest
    /// first, with <c>current</c> on <paramref name="currentSessionId"/>; and the user's devices
    /// that are not revoked, most recently used first.
    /// </summary>
    Task<SessionList> ReadAsync(int userId, DateTimeOffset now, Guid currentSessionId, CancellationToken cancellationToken);
}
