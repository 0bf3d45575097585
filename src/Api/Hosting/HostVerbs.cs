using Microsoft.EntityFrameworkCore;
using Paseto.Auth.Infrastructure.Persistence;

namespace Paseto.Auth.Api.Hosting;

/// <summary>The command-line verbs of the host: <c>migrate</c>, <c>generate-keys</c>, <c>create-admin</c>.</summary>
internal static class HostVerbs
{
    private static readonly string[] Verbs = ["migrate"];

    public static (string? Verb, string[] HostArgs) Split(string[] args) =>
        args.Length > 0 && Verbs.Contains(args[0], StringComparer.Ordinal) ? (args[0], args[1..]) : (null, args);

    public static async Task<int> RunAsync(WebApplication app, string verb)
    {
        await using var scope = app.Services.CreateAsyncScope();
        switch (verb)
        {
            case "migrate":
                var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
                await db.Database.MigrateAsync();
                await Console.Out.WriteLineAsync("Migrations applied.");
                return 0;
            default:
                await Console.Error.WriteLineAsync($"Unknown verb '{verb}'.");
                return 2;
        }
    }
}
