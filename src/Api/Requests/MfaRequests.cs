using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Auth;
using Paseto.Auth.Application.SecondFactor;

namespace Paseto.Auth.Api.Requests;

/// <param name="Password">The account's current password.</param>
public sealed record EnrollTotpRequest(string Password)
{
    public EnrollTotpCommand ToCommand(CallerIdentity caller) => new(caller, Password);
}

/// <param name="Code">The 6-digit code the authenticator app shows for the new secret.</param>
public sealed record ConfirmTotpRequest(string Code)
{
    public ConfirmTotpCommand ToCommand(CallerIdentity caller) => new(caller, Code);
}

/// <param name="Password">The account's current password.</param>
/// <param name="Code">A current TOTP code.</param>
/// <param name="RecoveryCode">Instead of <c>code</c>: one of the recovery codes (used up by this).</param>
public sealed record DisableTotpRequest(string Password, string? Code, string? RecoveryCode)
{
    public DisableTotpCommand ToCommand(CallerIdentity caller) => new(caller, Password, new(Code, RecoveryCode));
}

/// <param name="Password">The account's current password.</param>
/// <param name="Code">A current TOTP code.</param>
/// <param name="RecoveryCode">Instead of <c>code</c>: one of the recovery codes (used up by this).</param>
public sealed record RegenerateRecoveryCodesRequest(string Password, string? Code, string? RecoveryCode)
{
    public RegenerateRecoveryCodesCommand ToCommand(CallerIdentity caller) => new(caller, Password, new(Code, RecoveryCode));
}

/// <param name="MfaToken">The <c>mfa_token</c> of the login's 403 <c>/problems/mfa-required</c>.</param>
/// <param name="Code">A current TOTP code.</param>
/// <param name="RecoveryCode">Instead of <c>code</c>: one of the recovery codes (used up by this).</param>
/// <param name="DeviceToken">The device token an earlier login on this device returned, as sent to the password step.</param>
public sealed record MfaLoginRequest(string MfaToken, string? Code, string? RecoveryCode, string? DeviceToken)
{
    public CompleteMfaLoginCommand ToCommand(ClientInfo client) => new(MfaToken, new(Code, RecoveryCode), DeviceToken, client);
}
