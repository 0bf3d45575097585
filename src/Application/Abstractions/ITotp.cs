namespace Paseto.Auth.Application.Abstractions;

/// <summary>
/// TOTP (RFC 6238 over RFC 4226's HOTP): HMAC-SHA-1, 6 digits, 30-second steps counted from the
/// Unix epoch. Codes are compared in constant time.
/// </summary>
public interface ITotp
{
    /// <summary>A new shared secret: 160 random bits, the length RFC 4226 §4 recommends.</summary>
    byte[] NewSecret();

    /// <summary>The time step <paramref name="at"/> falls in.</summary>
    long StepAt(DateTimeOffset at);

    /// <summary>
    /// The latest time step, among the current one and one either side (clock drift), above
    /// <paramref name="afterStep"/> whose code is <paramref name="code"/>; null when none is.
    /// </summary>
    long? MatchStep(ReadOnlySpan<byte> secret, string code, DateTimeOffset now, long afterStep);

    /// <summary>What an authenticator app needs to hold the secret: its Base32, the <c>otpauth://</c> URI and that URI as a QR code (SVG).</summary>
    TotpEnrollment Describe(ReadOnlySpan<byte> secret, string accountName);
}

/// <param name="Secret">The secret in Base32 (RFC 4648, no padding), for typing it in.</param>
/// <param name="OtpauthUri">The key URI an authenticator app reads (<c>otpauth://totp/Issuer:account?…</c>).</param>
/// <param name="QrSvg">The URI as a QR code, an SVG document.</param>
public sealed record TotpEnrollment(string Secret, string OtpauthUri, string QrSvg);

/// <summary>
/// Seals factor secrets for storage with an AEAD under the newest key of <c>Auth:Mfa:Keys</c>,
/// bound to the user and factor (associated data), so a sealed secret copied to another row or
/// user does not open. Older keys still open what they sealed.
/// </summary>
public interface IFactorSecretSealer
{
    SealedSecret Seal(ReadOnlySpan<byte> secret, int userId, Guid factorId);

    /// <summary>
    /// Opens a sealed secret. <see cref="OpenedSecret.Resealed"/> is set when it was sealed under
    /// an older key: the caller stores that instead, so a rotation re-encrypts secrets as they are used.
    /// </summary>
    /// <exception cref="System.Security.Cryptography.CryptographicException">The key is unknown, or the ciphertext or its binding was altered.</exception>
    OpenedSecret Open(SealedSecret sealedSecret, int userId, Guid factorId);
}

/// <param name="Ciphertext">Nonce, ciphertext and tag.</param>
/// <param name="KeyId">The PASERK id (<c>k4.lid.…</c>) of the key that sealed it.</param>
public sealed record SealedSecret(byte[] Ciphertext, string KeyId);

public sealed record OpenedSecret(byte[] Secret, SealedSecret? Resealed);
