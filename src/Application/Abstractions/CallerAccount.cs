namespace Paseto.Auth.Application.Abstractions;

/// <summary>
/// The caller's account as the bearer check read it from the users table, in the same round trip
/// that found the session alive (<see cref="ISessionAuthenticator"/>): current on this request,
/// whatever the access token says. A use case about the caller (their own profile, their role)
/// reads it here instead of querying again.
/// </summary>
/// <param name="IsActive">Always true: the check refuses the sessions of inactive users. Kept as read, for the profile.</param>
/// <param name="EmailVerified">Whether a link sent to <paramref name="Email"/> was used.</param>
/// <param name="PendingEmail">The address an email change waits on, if any.</param>
/// <param name="MfaEnabled">Whether the account has a second factor (DESIGN §9).</param>
public sealed record CallerAccount(
    int Id,
    string Username,
    string Email,
    string Firstname,
    string Role,
    bool IsActive,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    bool EmailVerified = false,
    string? PendingEmail = null,
    bool MfaEnabled = false);
