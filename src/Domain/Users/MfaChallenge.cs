namespace Paseto.Auth.Domain.Users;

/// <summary>
/// A login that passed the password step and waits for the second factor: what the
/// <c>mfa_token</c> stands for. Only the token's SHA-256 is kept. It is bound to the user and to
/// the credential stamp the password was verified against (a password change in between kills
/// it), lives a few minutes, is used at most once, and dies after a few wrong codes.
/// </summary>
public sealed class MfaChallenge
{
    private MfaChallenge()
    {
    }

    public Guid Id { get; private set; }

    public byte[] TokenHash { get; private set; } = [];

    public int UserId { get; private set; }

    /// <summary>The user's <see cref="User.CredentialStamp"/> when the password was verified.</summary>
    public Guid CredentialStamp { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    /// <summary>Codes tried with this token (each counted before it is checked).</summary>
    public int Attempts { get; private set; }

    public DateTimeOffset? UsedAt { get; private set; }

    public static MfaChallenge Start(byte[] tokenHash, User user, DateTimeOffset now, TimeSpan lifetime) => new()
    {
        Id = Guid.CreateVersion7(now),
        TokenHash = tokenHash,
        UserId = user.Id,
        CredentialStamp = user.CredentialStamp,
        CreatedAt = now,
        ExpiresAt = now + lifetime,
    };
}
