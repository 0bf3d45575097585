using Paseto.Auth.Domain.Devices;
using Paseto.Auth.Domain.Sessions;

namespace Paseto.Auth.Application.Sessions;

public sealed record SessionList(IReadOnlyList<SessionInfo> Items, IReadOnlyList<DeviceInfo> Devices)
{
    /// <summary>Newest session first; <c>current</c> marks <paramref name="currentSessionId"/>, the session the request came with.</summary>
    public static SessionList From(IEnumerable<Session> active, IEnumerable<Device> known, Guid currentSessionId) => new(
        [.. active
            .OrderByDescending(s => s.CreatedAt)
            .Select(s => new SessionInfo(s.Id, s.CreatedAt, s.LastSeenAt, s.ExpiresAt, s.UserAgent, s.Ip, s.Id == currentSessionId))],
        [.. known.Select(d => new DeviceInfo(d.Id, d.CreatedAt, d.LastUsedAt, d.UserAgent))]);
}
