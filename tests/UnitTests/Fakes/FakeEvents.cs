using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Domain.SecurityEvents;

namespace Paseto.Auth.UnitTests.Fakes;

internal sealed class FakeEvents : ISecurityEventRepository
{
    public List<SecurityEvent> Events { get; } = [];

    public void Add(SecurityEvent securityEvent) => Events.Add(securityEvent);

    public Task<List<SecurityEvent>> ListAsync(int userId, long beforeId, int limit, string? type, CancellationToken cancellationToken) =>
        Task.FromResult(Events.Where(e => e.UserId == userId && (type is null || e.Type == type)).Take(limit).ToList());
}
