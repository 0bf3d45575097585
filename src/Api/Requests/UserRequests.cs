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
public sealed record UpdateProfileRequest(string? Firstname, string? Email, string? Username, string? CurrentPassword)
{
    public UpdateProfileCommand ToCommand(CallerIdentity caller) => new(caller, Firstname, Email, Username, CurrentPassword);
}

public sealed record ChangePasswordRequest(string CurrentPassword, string NewPassword)
{
    public ChangePasswordCommand ToCommand(CallerIdentity caller) => new(caller, CurrentPassword, NewPassword);
}

public sealed record DeactivateAccountRequest(string Password)
{
    public DeactivateAccountCommand ToCommand(CallerIdentity caller) => new(caller, Password);
}

public sealed record AdminUpdateUserRequest(string? Role, bool? IsActive)
{
    public AdminUpdateUserCommand ToCommand(CallerIdentity caller, string username) => new(caller, username, Role, IsActive);
}
