using Paseto.Auth.Domain.SecurityEvents;

namespace Paseto.Auth.Application.Abstractions;

public interface ISecurityEventRepository
{
    /// <summary>Adds an event to the unit of work: it commits (or rolls back) with the change it describes.</summary>
    void Add(SecurityEvent securityEvent);

    /// <summary>A user's events with ids below <paramref name="beforeId"/>, newest first.</summary>
    Task<List<SecurityEvent>> ListAsync(int userId, long beforeId, int limit, string? type, CancellationToken cancellationToken);
}
