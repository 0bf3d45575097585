namespace Paseto.Auth.Application.Abstractions;

/// <summary>What the host knows about the caller's connection: recorded on sessions, never trusted for authorization.</summary>
public sealed record ClientInfo(string? Ip, string? UserAgent);
