namespace Paseto.Auth.Domain.Users;

/// <summary>
/// A TOTP authenticator (RFC 6238) of a user: the shared secret, kept only encrypted, and the
/// last time step a code was accepted for, so no code works twice. Pending until a first code
/// proves the authenticator holds the secret (<see cref="ConfirmedAt"/>); a user has at most one.
/// </summary>
public sealed class TotpFactor
{
    private TotpFactor()
    {
    }

    public Guid Id { get; private set; }

    public int UserId { get; private set; }

    /// <summary>The secret sealed with an AEAD under a key of <c>Auth:Mfa:Keys</c> (nonce, ciphertext and tag).</summary>
    public byte[] SecretCiphertext { get; private set; } = [];

    /// <summary>The PASERK id (<c>k4.lid.…</c>) of the key that sealed <see cref="SecretCiphertext"/>.</summary>
    public string KeyId { get; private set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? ConfirmedAt { get; private set; }

    /// <summary>The time step of the last accepted code; a code is accepted only for a later step.</summary>
    public long LastUsedStep { get; private set; }

    public bool IsConfirmed => ConfirmedAt is not null;

    /// <summary>A pending factor; its id is chosen here because the sealed secret is bound to it.</summary>
    public static TotpFactor Start(Guid id, int userId, byte[] secretCiphertext, string keyId, DateTimeOffset now) => new()
    {
        Id = id,
        UserId = userId,
        SecretCiphertext = secretCiphertext,
        KeyId = keyId,
        CreatedAt = now,
    };

    public void Confirm(DateTimeOffset now) => ConfirmedAt ??= now;

    /// <summary>The same secret sealed again, under the newest key (a key rotation).</summary>
    public void Reseal(byte[] secretCiphertext, string keyId)
    {
        SecretCiphertext = secretCiphertext;
        KeyId = keyId;
    }
}
