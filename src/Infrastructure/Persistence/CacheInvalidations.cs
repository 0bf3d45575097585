using Microsoft.EntityFrameworkCore;
using Paseto.Auth.Domain.Sessions;
using Paseto.Auth.Domain.Users;
using Paseto.Auth.Infrastructure.Authentication;

namespace Paseto.Auth.Infrastructure.Persistence;

/// <summary>
/// The users and sessions this unit of work changed, dropped from this instance's
/// <see cref="SessionCache"/> as soon as the change is committed, before the use case answers:
/// the triggers' notification reaches every instance, this one included, a moment later, and a
/// client that logs out and at once sends the old token to the same instance must be refused.
/// </summary>
internal sealed class CacheInvalidations(AuthDbContext db, SessionCache cache)
{
    private readonly HashSet<Guid> _sessions = [];
    private readonly HashSet<int> _users = [];

    /// <summary>Notes the tracked users and sessions that the coming SaveChanges updates or deletes.</summary>
    public void CaptureTracked()
    {
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }

            switch (entry.Entity)
            {
                case User user:
                    _users.Add(user.Id);
                    break;
                case Session session:
                    _sessions.Add(session.Id);
                    break;
            }
        }
    }

    public void Session(Guid sessionId) => _sessions.Add(sessionId);

    /// <summary>Applies what is noted if it is committed already (no transaction open); else the commit will.</summary>
    public void ApplyIfCommitted()
    {
        if (db.Database.CurrentTransaction is null)
        {
            Apply();
        }
    }

    /// <summary>
    /// Drops what is noted. Also after a rollback: dropping an entry costs one read, keeping one
    /// whose change did commit would cost a revocation.
    /// </summary>
    public void Apply()
    {
        foreach (var id in _sessions)
        {
            cache.InvalidateSession(id);
        }

        foreach (var id in _users)
        {
            cache.InvalidateUser(id);
        }

        _sessions.Clear();
        _users.Clear();
    }
}
