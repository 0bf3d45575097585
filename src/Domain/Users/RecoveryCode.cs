namespace Paseto.Auth.Domain.Users;

/// <summary>
/// One of the single-use codes that stand in for the authenticator when it is lost. Only a keyed
/// hash of the code is kept; <see cref="UsedAt"/> is set once, by a conditional update.
/// </summary>
public sealed class RecoveryCode
{
    private RecoveryCode()
    {
    }

    public long Id { get; private set; }

    public int UserId { get; private set; }

    public byte[] CodeHash { get; private set; } = [];

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? UsedAt { get; private set; }

    public static RecoveryCode Create(int userId, byte[] codeHash, DateTimeOffset now) => new()
    {
        UserId = userId,
        CodeHash = codeHash,
        CreatedAt = now,
    };
}
