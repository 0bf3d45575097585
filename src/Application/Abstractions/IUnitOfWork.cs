namespace Paseto.Auth.Application.Abstractions;

/// <summary>
/// The one commit of a use case: everything a handler changed is saved in one transaction.
/// A broken uniqueness rule surfaces as a <see cref="Exceptions.ConflictException"/>.
/// </summary>
public interface IUnitOfWork
{
    Task SaveChangesAsync(CancellationToken cancellationToken);
}
