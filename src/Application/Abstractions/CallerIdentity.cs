using Paseto.Auth.Application.Users;

namespace Paseto.Auth.Application.Abstractions;

/// <summary>
/// The authenticated caller as the database saw it on this request. The role comes from the
/// user row, not from the token, so a role change takes effect on the next request; the profile
/// was read in the same round trip that checked the session.
/// </summary>
/// <param name="Client">The address and user agent of this request, for the security history.</param>
public sealed record CallerIdentity(UserProfile Profile, Guid SessionId, ClientInfo? Client = null)
{
    public int UserId => Profile.Id;

    public string Role => Profile.Role;

    public string Username => Profile.Username;
}
