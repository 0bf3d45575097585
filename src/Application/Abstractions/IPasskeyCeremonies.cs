using System.Text.Json;
using Paseto.Auth.Application.Exceptions;

namespace Paseto.Auth.Application.Abstractions;

/// <summary>
/// The WebAuthn ceremonies (W3C Web Authentication Level 3) behind the passkey use cases: the
/// options a browser needs, and the verification of what the authenticator answered against the
/// options that were sent, the relying party id and the allowed origins
/// (<c>Auth:Passkeys</c>). Holds no state: the options travel through the stored challenge.
/// </summary>
public interface IPasskeyCeremonies
{
    /// <summary>
    /// Creation options for a new passkey of <paramref name="account"/>: resident key preferred,
    /// user verification required, attestation <c>none</c>, <paramref name="excludeCredentialIds"/>
    /// (the account's passkeys) excluded. Returns the options as WebAuthn JSON.
    /// </summary>
    string CreationOptions(PasskeyAccount account, IReadOnlyList<byte[]> excludeCredentialIds);

    /// <summary>
    /// Verifies a registration (the browser's <c>PublicKeyCredential.toJSON()</c>) against the
    /// <paramref name="options"/> that were sent.
    /// </summary>
    /// <exception cref="PasskeyException">Malformed, or refused (origin, RP id, challenge, flags, attestation).</exception>
    Task<NewPasskeyCredential> VerifyRegistrationAsync(string options, JsonElement credential, CancellationToken cancellationToken);

    /// <summary>Request options for a sign-in, listing <paramref name="allowCredentialIds"/> (none: any discoverable credential); user verification required.</summary>
    string RequestOptions(IReadOnlyList<byte[]> allowCredentialIds);

    /// <summary>Reads an assertion's credential id and user handle, before anything is verified, to find the passkey it claims.</summary>
    /// <exception cref="PasskeyException">Malformed.</exception>
    PresentedAssertion ReadAssertion(JsonElement credential);

    /// <summary>
    /// Verifies <paramref name="assertion"/> against the <paramref name="options"/> that were
    /// sent and the stored passkey: origin, RP id hash, challenge, user presence and verification,
    /// the user handle (when sent) as the passkey owner's, the signature, and the counter.
    /// </summary>
    /// <exception cref="PasskeyException">Refused; <see cref="PasskeyFailure.CounterRegressed"/> for a counter not above the stored one.</exception>
    Task<VerifiedAssertion> VerifyAssertionAsync(string options, PresentedAssertion assertion, StoredPasskey passkey, CancellationToken cancellationToken);

    /// <summary>
    /// Credential ids for a username no passkey answers to: derived from the name under a server
    /// key, so asking twice gives the same ids and they cannot be told from real ones.
    /// </summary>
    IReadOnlyList<byte[]> DecoyCredentialIds(string normalizedUsername);
}

/// <summary>The account a passkey is created for, as the authenticator will show it.</summary>
/// <param name="UserHandle">The account's random WebAuthn user handle.</param>
public sealed record PasskeyAccount(byte[] UserHandle, string Username, string DisplayName);

/// <summary>A verified registration: what is stored of the new credential.</summary>
public sealed record NewPasskeyCredential(
    byte[] CredentialId, byte[] PublicKey, long SignCount, Guid Aaguid, string[] Transports, bool BackupEligible, bool BackedUp);

/// <summary>An assertion as sent, parsed but not verified.</summary>
/// <param name="SignCount">The signature counter the authenticator data carries (not verified yet).</param>
/// <param name="Parsed">The parsed response, opaque to the use cases.</param>
public sealed record PresentedAssertion(byte[] CredentialId, byte[]? UserHandle, long SignCount, object Parsed);

/// <summary>What the verification of an assertion needs of the stored passkey.</summary>
public sealed record StoredPasskey(byte[] PublicKey, long SignCount, byte[] OwnerUserHandle);

/// <summary>A verified assertion: the counter and backup state it carried.</summary>
public sealed record VerifiedAssertion(long SignCount, bool BackedUp);
