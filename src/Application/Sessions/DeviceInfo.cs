namespace Paseto.Auth.Application.Sessions;

/// <summary>A device that may log in on its own failure counter; revoke it with <c>DELETE /v1/devices/{id}</c>.</summary>
public sealed record DeviceInfo(Guid Id, DateTimeOffset CreatedAt, DateTimeOffset LastUsedAt, string? UserAgent);
