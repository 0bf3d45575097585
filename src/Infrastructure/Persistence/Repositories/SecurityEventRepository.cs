using Microsoft.EntityFrameworkCore;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Domain.SecurityEvents;

namespace Paseto.Auth.Infrastructure.Persistence.Repositories;

internal sealed class SecurityEventRepository(AuthDbContext db) : ISecurityEventRepository
{
    public void Add(SecurityEvent securityEvent) => db.SecurityEvents.Add(securityEvent);

    public Task<List<SecurityEvent>> ListAsync(int userId, long beforeId, int limit, string? type, CancellationToken cancellationToken)
    {
        var query = db.SecurityEvents.AsNoTracking().Where(e => e.UserId == userId && e.Id < beforeId);
        if (type is not null)
        {
            query = query.Where(e => e.Type == type);
        }

        return query.OrderByDescending(e => e.Id).TakeInline(limit).ToListAsync(cancellationToken);
    }
}
