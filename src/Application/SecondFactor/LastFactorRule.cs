using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Application.SecondFactor;

/// <summary>
/// The last-factor rule of DESIGN §9: removing an account's last factor takes its recovery codes
/// along, and is refused (409) when the role requires a factor. Decided once before the factor is
/// verified (so a refused removal spends no code) and again under the user's row lock in the
/// removing transaction: two parallel removals of an account's last two factors each see another
/// one left before the lock, and only the second to take it sees that none would be.
/// </summary>
public sealed class LastFactorRule(IUserRepository users, ISecondFactorRepository factors)
{
    /// <summary>Whether the one factor being removed is the user's last; throws <see cref="ConflictException"/> when the role requires one.</summary>
    public async Task<bool> CheckAsync(User user, MfaOptions mfa, CancellationToken cancellationToken)
    {
        var last = await factors.CountFactorsAsync(user.Id, cancellationToken) <= 1;
        if (last && mfa.IsRequiredFor(user.Role))
        {
            throw new ConflictException($"The role '{user.Role}' requires a second factor: its last one cannot be removed.");
        }

        return last;
    }

    /// <summary><see cref="CheckAsync"/> under the user's row lock, inside the removing transaction.</summary>
    public async Task<bool> CheckLockedAsync(User user, MfaOptions mfa, CancellationToken cancellationToken)
    {
        await users.LockAndRefreshAsync(user, cancellationToken);
        return await CheckAsync(user, mfa, cancellationToken);
    }
}
