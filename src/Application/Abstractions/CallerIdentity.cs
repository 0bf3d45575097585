namespace Paseto.Auth.Application.Abstractions;

/// <summary>
/// The authenticated caller as the database saw it on this request. The role comes from the
/// user row, not from the token, so a role change takes effect on the next request; the account
/// was read in the same round trip that checked the session.
/// </summary>
/// <param name="Client">The address and user agent of this request, for the security history.</param>
/// <param name="AuthMethods">
/// How the session's login proved itself (<see cref="Domain.Users.AuthMethods"/>), as the session
/// row keeps them; the roles of <c>Auth:Mfa:RequiredForRoles</c> need a second factor among them.
/// </param>
public sealed record CallerIdentity(CallerAccount Account, Guid SessionId, ClientInfo? Client = null, IReadOnlyList<string>? AuthMethods = null)
{
    public int UserId => Account.Id;

    public string Role => Account.Role;

    public string Username => Account.Username;
}
