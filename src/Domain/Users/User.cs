namespace Paseto.Auth.Domain.Users;

/// <summary>
/// A person who can log in. Usernames and emails are unique case-insensitively: the
/// normalized columns carry the lower-cased values that the database's unique indexes enforce.
/// </summary>
public sealed class User
{
    private User()
    {
    }

    public int Id { get; private set; }

    public string Username { get; private set; } = string.Empty;

    public string NormalizedUsername { get; private set; } = string.Empty;

    public string Email { get; private set; } = string.Empty;

    public string NormalizedEmail { get; private set; } = string.Empty;

    /// <summary>The Argon2id PHC string; never leaves the service.</summary>
    public string PasswordHash { get; private set; } = string.Empty;

    public string Firstname { get; private set; } = string.Empty;

    public string Role { get; private set; } = Roles.Member;

    public bool IsActive { get; private set; } = true;

    /// <summary>
    /// Changes whenever what lets a person in changes: a new password, a deactivation. A login
    /// reads it with the password hash it verifies and starts its session only if it is still
    /// the same under the lock of this row, which the change holds too; so a login racing a
    /// change either ends before it (and its session is revoked by it) or is refused.
    /// </summary>
    public Guid CredentialStamp { get; private set; }

    /// <summary>When the current <see cref="Email"/> was proven to reach the user (a link from it used); null until then.</summary>
    public DateTimeOffset? EmailVerifiedAt { get; private set; }

    /// <summary>An address the user asked to switch to; it becomes <see cref="Email"/> only when a link sent to it is used.</summary>
    public string? PendingEmail { get; private set; }

    public bool EmailVerified => EmailVerifiedAt is not null;

    /// <summary>
    /// Whether the account has a second factor of any kind (DESIGN §9): login then asks for it,
    /// and risky changes too. Kept on the row (not only derived from the factor tables) so that
    /// every factor change also changes the user's row, which is what a cache of the bearer
    /// check is invalidated on.
    /// </summary>
    public bool MfaEnabled { get; private set; }

    /// <summary>
    /// The WebAuthn user handle (32 random bytes) the user's passkeys are registered under, made
    /// with the first passkey ceremony; never the user id, so an authenticator's records tell
    /// nothing about the account. Unique.
    /// </summary>
    public byte[]? PasskeyUserHandle { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static User Create(string username, string email, string passwordHash, string firstname, string role, DateTimeOffset now) =>
        new()
        {
            Username = username,
            NormalizedUsername = Normalize(username),
            Email = email,
            NormalizedEmail = Normalize(email),
            PasswordHash = passwordHash,
            Firstname = firstname,
            Role = role,
            IsActive = true,
            CredentialStamp = Guid.NewGuid(),
            CreatedAt = now,
            UpdatedAt = now,
        };

    /// <summary>The case-insensitive comparison key of a username or email.</summary>
    public static string Normalize(string value) => value.Trim().ToLowerInvariant();

    public void Rename(string username, DateTimeOffset now)
    {
        Username = username;
        NormalizedUsername = Normalize(username);
        UpdatedAt = now;
    }

    /// <summary>Sets the address; a different mailbox (not only another spelling) is unverified again.</summary>
    public void ChangeEmail(string email, DateTimeOffset now)
    {
        if (!string.Equals(Normalize(email), NormalizedEmail, StringComparison.Ordinal))
        {
            EmailVerifiedAt = null;
        }

        Email = email;
        NormalizedEmail = Normalize(email);
        UpdatedAt = now;
    }

    /// <summary>Starts an email change: the address waits until a link sent to it is used.</summary>
    public void RequestEmailChange(string email, DateTimeOffset now)
    {
        PendingEmail = email;
        UpdatedAt = now;
    }

    public void CancelEmailChange(DateTimeOffset now)
    {
        PendingEmail = null;
        UpdatedAt = now;
    }

    /// <summary>The pending address proved itself: it becomes the account's email, verified.</summary>
    public void ConfirmEmailChange(DateTimeOffset now)
    {
        if (PendingEmail is { } pending)
        {
            ChangeEmail(pending, now);
            PendingEmail = null;
            EmailVerifiedAt = now;
        }
    }

    /// <summary>A link sent to the current address was used: it reaches the user.</summary>
    public void MarkEmailVerified(DateTimeOffset now)
    {
        EmailVerifiedAt ??= now;
        UpdatedAt = now;
    }

    public void ChangeFirstname(string firstname, DateTimeOffset now)
    {
        Firstname = firstname;
        UpdatedAt = now;
    }

    public void ChangeRole(string role, DateTimeOffset now)
    {
        Role = role;
        UpdatedAt = now;
    }

    /// <summary>An inactive account cannot log in and its tokens stop working.</summary>
    public void SetActive(bool isActive, DateTimeOffset now)
    {
        if (!isActive)
        {
            CredentialStamp = Guid.NewGuid();
        }

        IsActive = isActive;
        UpdatedAt = now;
    }

    /// <summary>Gives the user a role and makes sure the account is active.</summary>
    public void Promote(string role, DateTimeOffset now)
    {
        Role = role;
        IsActive = true;
        UpdatedAt = now;
    }

    /// <summary>A new hash of the same password (newer parameters or pepper): the credential stays, and so does its stamp.</summary>
    public void ReplacePasswordHash(string passwordHash, DateTimeOffset now)
    {
        PasswordHash = passwordHash;
        UpdatedAt = now;
    }

    /// <summary>A factor was turned on or off (or all were removed).</summary>
    public void SetMfaEnabled(bool enabled, DateTimeOffset now)
    {
        MfaEnabled = enabled;
        UpdatedAt = now;
    }

    /// <summary>A new password: a new credential stamp with it.</summary>
    public void ChangePassword(string passwordHash, DateTimeOffset now)
    {
        PasswordHash = passwordHash;
        CredentialStamp = Guid.NewGuid();
        UpdatedAt = now;
    }
}
