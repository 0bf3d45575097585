using Paseto.Auth.Api.Controllers;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Auth;

namespace Paseto.Auth.Api.Requests;

/// <param name="Username">A username or an email.</param>
/// <param name="DeviceToken">The device token an earlier login on this device returned.</param>
public sealed record LoginRequest(string Username, string Password, string? DeviceToken)
{
    public LoginUserCommand ToCommand(ClientInfo client) => new(Username, Password, DeviceToken, client);
}

/// <summary>The form of the OAuth 2.0 password grant (RFC 6749 §4.3.2), as Swagger UI's "Authorize" posts it.</summary>
/// <remarks>Only the document uses it: <see cref="AuthController.LoginWithForm"/> reads the fields by these names.</remarks>
/// <param name="GrantType">Always <c>password</c>.</param>
/// <param name="Username">A username or an email.</param>
/// <param name="DeviceToken">The device token an earlier login on this device returned.</param>
public sealed record LoginForm(string GrantType, string Username, string Password, string? DeviceToken);

public sealed record RefreshTokensRequest(string RefreshToken)
{
    public RefreshTokensCommand ToCommand(ClientInfo client) => new(RefreshToken, client);
}

/// <summary>The form of an RFC 7662 introspection request.</summary>
/// <remarks>Only the document uses it: <c>IntrospectionController.Introspect</c> reads the field by this name and maps it here.</remarks>
/// <param name="Token">The access token to check.</param>
/// <param name="TokenTypeHint">Optional, as RFC 7662 allows; ignored, since only access tokens are ever active.</param>
public sealed record IntrospectionForm(string Token, string? TokenTypeHint)
{
    /// <param name="clientId">The resource server's id from HTTP Basic, or null when none was sent.</param>
    /// <param name="clientSecret">Its secret, or null when none was sent.</param>
    public IntrospectTokenCommand ToCommand(string? clientId, string? clientSecret) => new(clientId, clientSecret, Token);
}
