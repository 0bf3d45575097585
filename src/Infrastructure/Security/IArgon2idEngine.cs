namespace Paseto.Auth.Infrastructure.Security;

/// <summary>
/// One implementation of raw Argon2id (version 0x13, no secret, no associated data).
/// </summary>
/// <remarks>
/// Engines are interchangeable: for the same inputs every engine writes the same bytes, so a hash
/// written by one verifies with any other and the choice of engine is an operational one.
/// </remarks>
internal interface IArgon2idEngine
{
    /// <summary>Whether this engine can compute a hash of this shape.</summary>
    bool Supports(Argon2idParameters parameters, int saltLength, int hashLength);

    /// <summary>
    /// Fills <paramref name="hash"/> with Argon2id of a non-empty <paramref name="password"/>.
    /// Callers check <see cref="Supports"/> first.
    /// </summary>
    void DeriveKey(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, Argon2idParameters parameters, Span<byte> hash);
}
