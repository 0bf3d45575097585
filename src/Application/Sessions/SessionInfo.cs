namespace Paseto.Auth.Application.Sessions;

/// <summary>One of the caller's active sessions; <c>current</c> marks the one the request came with.</summary>
public sealed record SessionInfo(
    Guid Id,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastSeenAt,
    DateTimeOffset ExpiresAt,
    string? UserAgent,
    string? Ip,
    bool Current);
