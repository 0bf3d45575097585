using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Email;

namespace Paseto.Auth.Api.Requests;

/// <param name="Token">The token of a verification or email-change link.</param>
public sealed record VerifyEmailRequest(string Token)
{
    public VerifyEmailCommand ToCommand(ClientInfo client) => new(Token, client);
}

/// <param name="Token">The token of the notice sent to the old address.</param>
public sealed record CancelEmailChangeRequest(string Token)
{
    public CancelEmailChangeCommand ToCommand(ClientInfo client) => new(Token, client);
}

public sealed record ForgotPasswordRequest(string Email)
{
    public ForgotPasswordCommand ToCommand(ClientInfo client) => new(Email, client);
}

/// <param name="Token">The token of a password-reset link.</param>
/// <param name="Code">For an account with a second factor, a current TOTP code.</param>
/// <param name="RecoveryCode">Instead of <c>code</c>: one of the recovery codes (used up by this).</param>
public sealed record ResetPasswordRequest(string Token, string NewPassword, string? Code, string? RecoveryCode)
{
    public ResetPasswordCommand ToCommand(ClientInfo client) => new(Token, NewPassword, new(Code, RecoveryCode), client);
}
