using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Application.Users;

/// <summary>
/// The lock a credential change (a new password, a deactivation) holds while it commits: the
/// user's row, which a login also locks to start its session (<see cref="Sessions.SessionIssuer"/>).
/// </summary>
internal static class CredentialLock
{
    /// <summary>Locks the user's row until the transaction ends.</summary>
    /// <exception cref="ConflictException">
    /// The credentials changed since <paramref name="user"/> was read: the password this request
    /// verified is no longer the account's, so it must not decide anything (409).
    /// </exception>
    public static async Task TakeAsync(IUserRepository users, User user, CancellationToken cancellationToken)
    {
        if (await users.LockAsync(user.Id, cancellationToken) != user.CredentialStamp)
        {
            throw new ConflictException("The password or the account changed while this request ran. Try again.");
        }
    }
}
