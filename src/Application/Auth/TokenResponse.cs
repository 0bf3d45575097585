namespace Paseto.Auth.Application.Auth;

/// <summary>The answer to a login or a refresh (OAuth 2.0 names).</summary>
public sealed record TokenResponse(
    string AccessToken,
    string TokenType,
    int ExpiresIn,
    string RefreshToken,
    int RefreshExpiresIn,
    Guid SessionId,
    string? DeviceToken);
