using Paseto.Auth.Application.Abstractions;

namespace Paseto.Auth.UnitTests.Fakes;

internal sealed class NoThrottle : IThrottle
{
    public Task<ThrottleAttempt> TryTakeAsync(IReadOnlyList<ThrottleLimit> limits, CancellationToken cancellationToken) =>
        Task.FromResult(new ThrottleAttempt([.. limits.Select(l => new ThrottleUnit(l, 1, DateTimeOffset.UnixEpoch))], null));

    public Task SucceededAsync(ThrottleAttempt attempt, CancellationToken cancellationToken) => Task.CompletedTask;
}
