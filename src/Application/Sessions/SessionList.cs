namespace Paseto.Auth.Application.Sessions;

// Sessions newest first, devices most recently used first (ISessionListReader reads them so).
public sealed record SessionList(IReadOnlyList<SessionInfo> Items, IReadOnlyList<DeviceInfo> Devices);
