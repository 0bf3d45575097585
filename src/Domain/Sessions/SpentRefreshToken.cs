namespace Paseto.Auth.Domain.Sessions;

/// <summary>
/// A refresh token that was exchanged. Kept (as a hash) for the life of its session, so a second
/// use, by a thief or by a client that lost a race, is recognised and ends the session.
/// </summary>
public sealed class SpentRefreshToken(byte[] hash, Guid sessionId, int generation, DateTimeOffset spentAt)
{
    public byte[] Hash { get; private set; } = hash;

    public Guid SessionId { get; private set; } = sessionId;

    public int Generation { get; private set; } = generation;

    public DateTimeOffset SpentAt { get; private set; } = spentAt;
}
