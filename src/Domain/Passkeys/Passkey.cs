namespace Paseto.Auth.Domain.Passkeys;

/// <summary>
/// A WebAuthn credential of a user (DESIGN §11): a public key the user's authenticator holds the
/// private half of, found at sign-in by the id the authenticator sends. The public key is the
/// COSE_Key the authenticator attested at registration; nothing secret is stored.
/// </summary>
public sealed class Passkey
{
    /// <summary>The longest name a person may give a passkey.</summary>
    public const int NameMaxLength = 64;

    /// <summary>The longest credential id WebAuthn allows (Level 3, §5.1: at most 1023 bytes).</summary>
    public const int CredentialIdMaxLength = 1023;

    private Passkey()
    {
    }

    /// <summary>The id the API names the passkey by (never the credential id, which stays between authenticator and service).</summary>
    public Guid Id { get; private set; }

    public int UserId { get; private set; }

    /// <summary>The credential id the authenticator chose, unique across the service.</summary>
    public byte[] CredentialId { get; private set; } = [];

    /// <summary>The credential's public key as a COSE_Key (RFC 9052).</summary>
    public byte[] PublicKey { get; private set; } = [];

    /// <summary>
    /// The highest signature counter seen. A non-zero counter not above it means a cloned
    /// authenticator (or a replay) and is refused; synced passkeys always send 0.
    /// </summary>
    public long SignCount { get; private set; }

    public string Name { get; private set; } = string.Empty;

    /// <summary>The authenticator model's AAGUID (all zeroes with attestation <c>none</c> from many authenticators).</summary>
    public Guid Aaguid { get; private set; }

    /// <summary>The transports the browser reported at registration (<c>internal</c>, <c>hybrid</c>, <c>usb</c>, …).</summary>
    public string[] Transports { get; private set; } = [];

    /// <summary>The BE flag at registration: the credential may be synced to other devices.</summary>
    public bool BackupEligible { get; private set; }

    /// <summary>The BS flag last seen: the credential is synced (backed up).</summary>
    public bool BackedUp { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? LastUsedAt { get; private set; }

    public static Passkey Register(
        int userId, byte[] credentialId, byte[] publicKey, long signCount, string name, Guid aaguid,
        string[] transports, bool backupEligible, bool backedUp, DateTimeOffset now) => new()
        {
            Id = Guid.CreateVersion7(now),
            UserId = userId,
            CredentialId = credentialId,
            PublicKey = publicKey,
            SignCount = signCount,
            Name = name,
            Aaguid = aaguid,
            Transports = transports,
            BackupEligible = backupEligible,
            BackedUp = backedUp,
            CreatedAt = now,
        };

    public void Rename(string name) => Name = name;
}
