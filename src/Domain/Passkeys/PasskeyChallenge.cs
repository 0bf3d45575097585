namespace Paseto.Auth.Domain.Passkeys;

/// <summary>
/// A WebAuthn ceremony the service started and waits to see finished: the options it sent
/// (which hold the random challenge the authenticator signs), kept in PostgreSQL so any instance
/// can finish it. It is bound to its <see cref="Purpose"/>, for registration and step-up to the
/// user who asked, for a second factor to the login's <c>mfa_token</c>; it is consumed by the
/// one request that finishes it (a single <c>DELETE … RETURNING</c>) and lives a few minutes.
/// </summary>
public sealed class PasskeyChallenge
{
    private PasskeyChallenge()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>One of <see cref="PasskeyPurposes"/>.</summary>
    public string Purpose { get; private set; } = string.Empty;

    /// <summary>The user a registration, step-up or second-factor ceremony is for; null for a sign-in, which finds its user by the credential.</summary>
    public int? UserId { get; private set; }

    /// <summary>The login waiting for its second factor that this ceremony finishes (purpose <see cref="PasskeyPurposes.SecondFactor"/>).</summary>
    public Guid? MfaChallengeId { get; private set; }

    /// <summary>The options sent to the browser, as JSON: the ceremony is checked against exactly these.</summary>
    public string Options { get; private set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public static PasskeyChallenge Start(string purpose, int? userId, Guid? mfaChallengeId, string options, DateTimeOffset now, TimeSpan lifetime) => new()
    {
        // Random, not time-ordered: the id is what a client finishes the ceremony with.
        Id = Guid.NewGuid(),
        Purpose = purpose,
        UserId = userId,
        MfaChallengeId = mfaChallengeId,
        Options = options,
        CreatedAt = now,
        ExpiresAt = now + lifetime,
    };
}

/// <summary>What a <see cref="PasskeyChallenge"/> is for; a challenge finishes only the ceremony it was started for.</summary>
public static class PasskeyPurposes
{
    /// <summary>Adding a passkey to the signed-in user's account.</summary>
    public const string Registration = "registration";

    /// <summary>Signing in with a passkey, with or without a username.</summary>
    public const string Login = "login";

    /// <summary>Finishing a password login that answered <c>mfa-required</c>.</summary>
    public const string SecondFactor = "mfa";

    /// <summary>Proving the signed-in user holds one of their passkeys, for a risky change.</summary>
    public const string StepUp = "step_up";
}
