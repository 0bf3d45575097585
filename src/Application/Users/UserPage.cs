namespace Paseto.Auth.Application.Users;

public sealed record UserPage(IReadOnlyList<UserProfile> Items, string? NextCursor);
