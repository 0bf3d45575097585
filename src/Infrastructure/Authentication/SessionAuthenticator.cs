using Paseto.Auth.Application.Abstractions;

namespace Paseto.Auth.Infrastructure.Authentication;

/// <summary>
/// The bearer check: the instance's <see cref="SessionCache"/> when it knows the session and is
/// current, else one database read (<see cref="SessionReader"/>), whose answer the cache keeps
/// unless something it covers changed while it was read.
/// </summary>
internal sealed class SessionAuthenticator(ISessionReader reader, SessionCache cache, TimeProvider time) : ISessionAuthenticator
{
    public async Task<CallerIdentity?> AuthenticateAsync(AccessTokenSubject subject, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (cache.TryGet(subject, now) is { } remembered)
        {
            return remembered;
        }

        var stamp = cache.Begin(subject);
        var read = await reader.ReadAsync(subject, now, cancellationToken);
        if (read is null)
        {
            return null;
        }

        if (stamp is { } begun)
        {
            cache.Store(subject, begun, read, now);
        }

        return read.Caller;
    }
}
