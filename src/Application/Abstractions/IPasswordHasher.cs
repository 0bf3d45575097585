namespace Paseto.Auth.Application.Abstractions;

/// <summary>
/// Hashes and verifies user passwords with a deliberately slow, memory-hard function.
/// </summary>
/// <remarks>
/// <para>
/// Every call costs tens of milliseconds of CPU and megabytes of memory on purpose. Implementations
/// bound how many run at once across the process and queue the rest, so a login storm waits instead
/// of growing memory without limit; cancelling the token abandons the wait, not a running hash.
/// </para>
/// <para>
/// Passwords are compared as Unicode text, not as code units: implementations normalise them (NFKC)
/// before hashing, so the same password typed on different keyboards or input methods verifies.
/// </para>
/// </remarks>
public interface IPasswordHasher
{
    /// <summary>Hashes <paramref name="password"/> with the configured parameters and a fresh random salt.</summary>
    /// <returns>A self-describing string (algorithm, parameters, salt, hash) to store as is.</returns>
    /// <exception cref="ArgumentException">The password is empty or not valid UTF-16 (a lone surrogate).</exception>
    ValueTask<string> HashAsync(string password, CancellationToken ct);

    /// <summary>Checks <paramref name="password"/> against a string made by <see cref="HashAsync"/>.</summary>
    /// <remarks>
    /// Never throws for a malformed, tampered or foreign <paramref name="storedHash"/>: it is
    /// <see cref="PasswordVerification.Failed"/>. When the password matches but the stored hash was made
    /// with other parameters than the configured ones, the result is
    /// <see cref="PasswordVerification.SucceededNeedsRehash"/> and the caller should store a fresh
    /// <see cref="HashAsync"/> of the password it now holds, so parameter upgrades reach every account
    /// on its next login without ever storing a plain password.
    /// </remarks>
    ValueTask<PasswordVerification> VerifyAsync(string password, string storedHash, CancellationToken ct);

    /// <summary>
    /// Spends the same work as a <see cref="VerifyAsync"/> with the configured parameters and discards it.
    /// </summary>
    /// <remarks>
    /// Call it when a login names no known user: answering "unknown user" faster than "wrong password"
    /// would tell an attacker which usernames and emails exist.
    /// </remarks>
    ValueTask BurnAsync(string password, CancellationToken ct);
}

/// <summary>The outcome of <see cref="IPasswordHasher.VerifyAsync"/>.</summary>
public enum PasswordVerification
{
    /// <summary>The password does not match, or the stored hash is unusable.</summary>
    Failed,

    /// <summary>The password matches and the stored hash uses the configured parameters.</summary>
    Succeeded,

    /// <summary>The password matches; store a fresh hash because the stored one uses older parameters.</summary>
    SucceededNeedsRehash,
}
