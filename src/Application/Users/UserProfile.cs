using System.Text.Json.Serialization;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Application.Users;

/// <summary>
/// A user as the API shows it. <c>email</c> (with <c>email_verified</c> and <c>pending_email</c>)
/// is left out when the caller may not see it; <c>pending_email</c> only while an email change waits;
/// <c>mfa_enabled</c> for the owner and admins only.
/// </summary>
public sealed record UserProfile(
    int Id,
    string Username,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Email,
    string Firstname,
    string Role,
    bool IsActive,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? EmailVerified,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PendingEmail,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? MfaEnabled)
{
    public static UserProfile From(User user, bool includeEmail = true) => new(
        user.Id, user.Username, includeEmail ? user.Email : null, user.Firstname, user.Role, user.IsActive, user.CreatedAt, user.UpdatedAt,
        includeEmail ? user.EmailVerified : null, includeEmail ? user.PendingEmail : null, includeEmail ? user.MfaEnabled : null);

    /// <summary>The caller's own profile, email included, from the account the bearer check read.</summary>
    public static UserProfile From(CallerAccount account) => new(
        account.Id, account.Username, account.Email, account.Firstname, account.Role, account.IsActive, account.CreatedAt, account.UpdatedAt,
        account.EmailVerified, account.PendingEmail, account.MfaEnabled);
}
