namespace Paseto.Auth.Application.Abstractions;

/// <summary>
/// A budget of requests per window shared by every instance of the service, for callers that
/// spend it on every request (a resource server's introspection). Unlike <see cref="IThrottle"/>,
/// which decides each attempt in the database, an instance takes units from the database's
/// counter in leases and spends them from memory, so a request that fits in its instance's lease
/// costs no round trip.
/// </summary>
/// <remarks>
/// The database counts every leased unit, so all instances together never get more than the
/// budget in a window. What a lease left unspent when its window ends is lost: with N instances a
/// window may admit a little less than the budget, never more.
/// </remarks>
public interface IRequestBudget
{
    /// <summary>
    /// Takes one unit of <paramref name="budget"/> (a <see cref="ThrottleKind.Budget"/> limit):
    /// null when taken, else how long until the budget's window ends.
    /// </summary>
    ValueTask<TimeSpan?> TryTakeAsync(ThrottleLimit budget, CancellationToken cancellationToken);
}
