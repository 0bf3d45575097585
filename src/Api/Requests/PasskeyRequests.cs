using System.Text.Json;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Passkeys;
using Paseto.Auth.Application.SecondFactor;

namespace Paseto.Auth.Api.Requests;

/// <summary>A fresh assertion of one of the caller's passkeys, as a second factor of a risky change.</summary>
/// <param name="ChallengeId">The <c>challenge_id</c> of <c>POST /v1/users/me/passkeys/verification-options</c>.</param>
/// <param name="Credential">The browser's answer to <c>navigator.credentials.get()</c> with those options, as <c>PublicKeyCredential.toJSON()</c> gives it.</param>
public sealed record PasskeyAssertion(Guid ChallengeId, JsonElement Credential)
{
    public static PasskeyProof? ToProof(PasskeyAssertion? assertion) => assertion is null ? null : new(assertion.ChallengeId, assertion.Credential);
}

/// <param name="Password">The account's current password.</param>
/// <param name="Code">With a second factor on: a current TOTP code.</param>
/// <param name="RecoveryCode">Instead of <c>code</c>: one of the recovery codes (used up by this).</param>
/// <param name="Assertion">Instead of <c>code</c>: a fresh assertion of one of the account's passkeys.</param>
public sealed record PasskeyCreationOptionsRequest(string Password, string? Code, string? RecoveryCode, PasskeyAssertion? Assertion)
{
    public RegisterPasskeyOptionsCommand ToCommand(CallerIdentity caller) => new(caller, Password, new(Code, RecoveryCode, PasskeyAssertion.ToProof(Assertion)));
}

/// <param name="Name">The passkey's new name (at most 64 characters).</param>
public sealed record RenamePasskeyRequest(string Name)
{
    public RenamePasskeyCommand ToCommand(int userId, Guid id) => new(userId, id, Name);
}

/// <param name="Code">A current TOTP code.</param>
/// <param name="RecoveryCode">Instead of <c>code</c>: one of the recovery codes (used up by this).</param>
/// <param name="Assertion">Instead of <c>code</c>: a fresh assertion of one of the account's passkeys (this one too).</param>
public sealed record RemovePasskeyRequest(string? Code, string? RecoveryCode, PasskeyAssertion? Assertion)
{
    public RemovePasskeyCommand ToCommand(CallerIdentity caller, Guid id) => new(caller, id, new(Code, RecoveryCode, PasskeyAssertion.ToProof(Assertion)));
}

/// <param name="ChallengeId">The <c>challenge_id</c> of the creation options.</param>
/// <param name="Name">What to call the passkey (at most 64 characters); <c>Passkey</c> when none.</param>
/// <param name="Credential">The browser's answer to <c>navigator.credentials.create()</c>, as <c>PublicKeyCredential.toJSON()</c> gives it (WebAuthn Level 3, base64url).</param>
public sealed record AddPasskeyRequest(Guid ChallengeId, string? Name, JsonElement Credential)
{
    public RegisterPasskeyCommand ToCommand(CallerIdentity caller) => new(caller, ChallengeId, Name, Credential);
}

/// <param name="Username">A username or email whose passkeys to list; none for any passkey the browser holds for the service (autofill).</param>
/// <param name="MfaToken">Instead: the <c>mfa_token</c> of a password login's 403 <c>/problems/mfa-required</c>, to finish it with a passkey.</param>
public sealed record PasskeyRequestOptionsRequest(string? Username, string? MfaToken)
{
    public PasskeyLoginOptionsCommand ToCommand() => new(Username, MfaToken);
}

/// <param name="ChallengeId">The <c>challenge_id</c> of the request options.</param>
/// <param name="Credential">The browser's answer to <c>navigator.credentials.get()</c>, as <c>PublicKeyCredential.toJSON()</c> gives it (WebAuthn Level 3, base64url).</param>
/// <param name="DeviceToken">The device token an earlier login on this device returned.</param>
public sealed record PasskeyLoginRequest(Guid ChallengeId, JsonElement Credential, string? DeviceToken)
{
    public PasskeyLoginCommand ToCommand(ClientInfo client) => new(ChallengeId, Credential, DeviceToken, client);
}
