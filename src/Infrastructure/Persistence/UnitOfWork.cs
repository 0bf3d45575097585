using Microsoft.EntityFrameworkCore;
using Npgsql;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Infrastructure.Persistence.Configurations;

namespace Paseto.Auth.Infrastructure.Persistence;

internal sealed class UnitOfWork(AuthDbContext db) : IUnitOfWork
{
    public async Task SaveChangesAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // What this context tracked is stale now; forgetting it lets a retry read the rows again.
            db.ChangeTracker.Clear();
            throw new ConcurrencyException();
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg)
        {
            // The database is the judge of uniqueness, so two racing signups cannot both win.
            throw new ConflictException(pg.ConstraintName switch
            {
                UserConfiguration.UsernameIndex => "The username is already taken.",
                UserConfiguration.EmailIndex => "The email is already registered.",
                _ => "The resource already exists.",
            });
        }
    }

    public async Task<T> InTransactionAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var result = await work(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }
}
