namespace Paseto.Auth.Application.Abstractions;

/// <summary>
/// The second half of the bearer check, after <see cref="ITokenService.ReadAccessToken"/> has
/// found the token genuine: confirms, in one database round trip or from the instance's session
/// cache (which every committed change invalidates within a bound), that its session is alive and
/// its user active, and returns the caller as the database sees them now.
/// </summary>
/// <remarks>
/// It runs on every authenticated request, before any use case, and outside the mediator: the
/// API's bearer handler calls it once per request, and what it returns is the
/// <see cref="CallerIdentity"/> every command and query of that request is given. Whatever a use
/// case needs to know of its caller without another query (the own profile, the role) is read
/// here.
/// </remarks>
public interface ISessionAuthenticator
{
    /// <returns>
    /// The caller, or null when the session is unknown, revoked or expired, belongs to another
    /// user than the token's subject, or its user is inactive: the token no longer speaks for anyone.
    /// </returns>
    Task<CallerIdentity?> AuthenticateAsync(AccessTokenSubject subject, CancellationToken cancellationToken);
}
