namespace Paseto.Auth.Application.Sessions;

public sealed record SessionList(IReadOnlyList<SessionInfo> Items, IReadOnlyList<DeviceInfo> Devices);
