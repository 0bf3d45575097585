using Microsoft.Extensions.Options;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Auth;
using Paseto.Auth.Application.Common;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Application.SecurityEvents;
using Paseto.Auth.Domain.SecurityEvents;
using Paseto.Auth.Domain.Sessions;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Application.Sessions;

/// <summary>
/// Starts sessions under the active-session limit and issues token pairs. The limit is decided
/// under a lock on the user's row, so N parallel logins of one user never leave more than
/// <c>Auth:Sessions:MaxActive</c> sessions active. Under the same lock the user's credential
/// stamp must still be the one the login verified the password against: a password change or a
/// deactivation takes this lock too, so a login racing one either commits its session first
/// (and the change revokes it) or is refused here.
/// </summary>
public sealed class SessionIssuer(
    IUserRepository users,
    ISessionRepository sessions,
    ISecurityEventRepository events,
    ITokenService tokens,
    IUnitOfWork unitOfWork,
    IOptions<AuthOptions> options)
{
    /// <param name="authMethods">How the login proved itself (<see cref="AuthMethods"/>), kept on the session.</param>
    public Task<TokenResponse> StartAsync(User user, ClientInfo client, IReadOnlyList<string> authMethods, DateTimeOffset now, CancellationToken cancellationToken) =>
        StartAsync(user, client, authMethods, now, succeeded: null, static _ => { }, cancellationToken);

    /// <param name="authMethods">How the login proved itself (<see cref="AuthMethods"/>), kept on the session.</param>
    /// <param name="succeeded">The login's throttle reservation, given back in the session's own commit (null: none to give back).</param>
    /// <param name="underLock">
    /// Runs under the user's lock, told whether the user had any device before, ahead of the
    /// session: what it adds to the unit of work (the device, its notice) commits with the session.
    /// </param>
    public Task<TokenResponse> StartAsync(
        User user, ClientInfo client, IReadOnlyList<string> authMethods, DateTimeOffset now, ThrottleAttempt? succeeded, Action<bool> underLock, CancellationToken cancellationToken) =>
        unitOfWork.InTransactionAsync(async ct =>
        {
            var settings = options.Value;
            // One round trip for the lock, the device question, the active sessions' count and the throttle's settlement.
            var locked = await users.LockForLoginAsync(user.Id, now, succeeded, ct);
            if (locked.CredentialStamp != user.CredentialStamp)
            {
                // The password verified was changed (or the account closed) since it was read.
                throw new InvalidCredentialsException();
            }

            underLock(locked.HasDevices);

            if (locked.ActiveSessions - settings.Sessions.MaxActive + 1 > 0)
            {
                if (settings.Sessions.OnLimit == SessionLimitPolicy.Reject)
                {
                    throw new ConflictException("The account already has the maximum number of active sessions. Log out elsewhere first.");
                }

                // Only at the limit are the sessions themselves read, still under the lock.
                var active = await sessions.ListActiveAsync(user.Id, now, ct);
                foreach (var oldest in active.Take(active.Count - settings.Sessions.MaxActive + 1))
                {
                    oldest.Revoke(RevokeReasons.SessionLimit, now);
                    events.Add(SecurityEventFactory.SessionRevoked(user.Id, oldest.Id, RevokeReasons.SessionLimit, now, client));
                }
            }

            var (refreshToken, refreshHash) = OpaqueToken.Create();
            var session = Session.Start(user.Id, refreshHash, now, settings.SessionLifetime, settings.RefreshTokenLifetime, client.UserAgent, client.Ip, authMethods);
            sessions.Add(session);
            events.Add(SecurityEventFactory.Create(user.Id, SecurityEventTypes.LoginSucceeded, now, client, session.Id,
                // A password login's event stays as it always was; one finished with a factor says which.
                authMethods.Count > 1 ? [("methods", string.Join(' ', authMethods))] : []));
            await unitOfWork.SaveChangesAsync(ct);
            return Issue(user, session, refreshToken, now);
        }, cancellationToken);

    public TokenResponse Issue(User user, Session session, string refreshToken, DateTimeOffset now) =>
        Issue(new AccessTokenSubject(user.Id, user.Username, user.Role, session.Id), session.RefreshExpiresAt, refreshToken, now);

    /// <summary>A token pair for <paramref name="subject"/>'s session, whose refresh window ends at <paramref name="refreshExpiresAt"/>.</summary>
    public TokenResponse Issue(AccessTokenSubject subject, DateTimeOffset refreshExpiresAt, string refreshToken, DateTimeOffset now)
    {
        var access = tokens.IssueAccessToken(subject, now);
        return new TokenResponse(
            access.Token,
            "bearer",
            Seconds(access.ExpiresAt - now),
            refreshToken,
            Seconds(refreshExpiresAt - now),
            subject.SessionId,
            DeviceToken: null);
    }

    private static int Seconds(TimeSpan span) => (int)Math.Max(0, Math.Round(span.TotalSeconds));
}
