namespace Paseto.Auth.Application.Abstractions;

/// <summary>
/// The one commit of a use case: everything a handler changed is saved in one transaction.
/// A broken uniqueness rule surfaces as a <see cref="Exceptions.ConflictException"/>, a lost
/// optimistic-concurrency race as a <see cref="Exceptions.ConcurrencyException"/>, after which
/// every entity the use case had read is forgotten: reading again gives the current rows.
/// </summary>
public interface IUnitOfWork
{
    Task SaveChangesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in one database transaction that it commits at the end; used
    /// where reads and writes must see one state, e.g. counting sessions under a lock on their user.
    /// </summary>
    Task<T> InTransactionAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken);
}
