using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Users;

namespace Paseto.Auth.Api.Requests;

public sealed record SignupUserRequest(
    string Username,
    string Email,
    string Password,
    string Firstname,
    string? RefererSecret,
    string? Role)
{
    public SignupUserCommand ToCommand(ClientInfo client) => new(Username, Email, Password, Firstname, RefererSecret, Role, client);
}

/// <param name="CurrentPassword">Required when <c>email</c> or <c>username</c> changes.</param>
/// <param name="Code">With a second factor on, a current TOTP code, when <c>email</c> or <c>username</c> changes.</param>
/// <param name="RecoveryCode">Instead of <c>code</c>: one of the recovery codes (used up by this).</param>
public sealed record UpdateProfileRequest(string? Firstname, string? Email, string? Username, string? CurrentPassword, string? Code, string? RecoveryCode)
{
    public UpdateProfileCommand ToCommand(CallerIdentity caller) => new(caller, Firstname, Email, Username, CurrentPassword, new(Code, RecoveryCode));
}

/// <param name="Code">With a second factor on, a current TOTP code.</param>
/// <param name="RecoveryCode">Instead of <c>code</c>: one of the recovery codes (used up by this).</param>
public sealed record ChangePasswordRequest(string CurrentPassword, string NewPassword, string? Code, string? RecoveryCode)
{
    public ChangePasswordCommand ToCommand(CallerIdentity caller) => new(caller, CurrentPassword, NewPassword, new(Code, RecoveryCode));
}

/// <param name="Code">With a second factor on, a current TOTP code.</param>
/// <param name="RecoveryCode">Instead of <c>code</c>: one of the recovery codes (used up by this).</param>
public sealed record DeactivateAccountRequest(string Password, string? Code, string? RecoveryCode)
{
    public DeactivateAccountCommand ToCommand(CallerIdentity caller) => new(caller, Password, new(Code, RecoveryCode));
}

public sealed record AdminUpdateUserRequest(string? Role, bool? IsActive)
{
    public AdminUpdateUserCommand ToCommand(CallerIdentity caller, string username) => new(caller, username, Role, IsActive);
}
