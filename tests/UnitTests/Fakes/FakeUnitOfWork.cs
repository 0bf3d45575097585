using Paseto.Auth.Application.Abstractions;

namespace Paseto.Auth.UnitTests.Fakes;

internal sealed class FakeUnitOfWork : IUnitOfWork
{
    public int Commits { get; private set; }

    /// <summary>What the next save throws instead of committing, as the real one does when a concurrent change won.</summary>
    public Exception? FailNextSave { get; set; }

    public Task SaveChangesAsync(CancellationToken cancellationToken)
    {
        if (FailNextSave is { } failure)
        {
            FailNextSave = null;
            return Task.FromException(failure);
        }

        Commits++;
        return Task.CompletedTask;
    }

    public Task<T> InTransactionAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken) => work(cancellationToken);
}
