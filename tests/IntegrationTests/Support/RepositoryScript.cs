using System.Diagnostics;

namespace Paseto.Auth.IntegrationTests.Support;

/// <summary>Runs one of the repository's <c>scripts/</c> and returns what it printed.</summary>
public static class RepositoryScript
{
    /// <summary>Runs <c>scripts/<paramref name="name"/></c>; throws with its standard error when it fails.</summary>
    public static async Task<string> RunAsync(string name, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(TestPostgres.RepositoryRoot(), "scripts", name));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start bash.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"scripts/{name} {string.Join(' ', start.ArgumentList.Skip(1))} failed: {await error}");
    }
}
