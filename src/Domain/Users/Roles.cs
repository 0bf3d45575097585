namespace Paseto.Auth.Domain.Users;

public static class Roles
{
    public const string Member = "member";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Member, Admin];

    public static bool IsKnown(string role) => role is Member or Admin;
}
