using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Paseto.Auth.Infrastructure;
using Paseto.Auth.Infrastructure.Persistence;

namespace Paseto.Auth.Api.Hosting;

/// <summary>
/// The failures an operator fixes in the settings, told as one line: the host prints
/// <c>Configuration error: …</c> on standard error and exits 1, rather than dying on an unhandled
/// exception (a stack trace and SIGABRT). Every message names the setting and the fix, never the
/// setting's value. Anything else stays an unhandled exception: a bug wants its stack trace.
/// </summary>
internal static partial class StartupErrors
{
    public const int ExitCode = 1;

    private const string DatabaseSettings = "ConnectionStrings__Postgres or DATABASE_URL";

    /// <summary>
    /// Whether this host is the process (<c>dotnet Paseto.Auth.Api.dll</c>), and so the one to
    /// tell the operator and choose the exit code. The test host runs the same entry point inside
    /// its own process; there the exception has to reach it.
    /// </summary>
    public static bool OwnsTheProcess { get; } = System.Reflection.Assembly.GetEntryAssembly() == typeof(StartupErrors).Assembly;

    /// <summary>The operator's message for <paramref name="exception"/>, or null when it is not a configuration error.</summary>
    public static string? Describe(Exception exception) => exception switch
    {
        ConfigurationException e => e.Message,
        // The messages are the validators' own, written to name the setting.
        OptionsValidationException e => e.Message,
        // The start-up validator's way to report several options at once.
        AggregateException e when e.InnerExceptions.Select(Describe).ToList() is var messages && messages.All(m => m is not null) =>
            string.Join(" ", messages),
        InvalidOperationException e when BinderFailure().Match(e.Message) is { Success: true } match =>
            NotOfItsType(match.Groups["path"].Value, match.Groups["type"].Value),
        _ when DatabaseFailures.IsCredentialsRefused(exception) =>
            $"The database refused the credentials: check the user name and password in {DatabaseSettings}.",
        _ when DatabaseFailures.IsUnavailable(exception) =>
            $"The database does not answer: check that PostgreSQL runs and that {DatabaseSettings} names its host and port.",
        _ => null,
    };

    /// <summary>Prints <paramref name="message"/> as the one line of the failure on standard error.</summary>
    public static int Report(string message)
    {
        Console.Error.WriteLine($"Configuration error: {message.ReplaceLineEndings(" ")}");
        return ExitCode;
    }

    /// <summary>The configuration binder's message quotes the value; this one names the setting and the type only.</summary>
    private static string NotOfItsType(string path, string typeName)
    {
        var type = AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(typeName)).FirstOrDefault(t => t is not null);
        var expected = type switch
        {
            _ when type == typeof(int) || type == typeof(long) || type == typeof(short) => "a whole number",
            _ when type == typeof(double) || type == typeof(decimal) || type == typeof(float) => "a number",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(TimeSpan) => "a duration written d.hh:mm:ss (14.00:00:00, 00:30:00)",
            { IsEnum: true } => "one of " + string.Join(", ", Enum.GetNames(type).Select(n => $"'{n.ToLowerInvariant()}'")),
            _ => $"a {typeName.Split('.')[^1]}",
        };
        return $"{path} ({path.Replace(":", "__", StringComparison.Ordinal)}) must be {expected}.";
    }

    [GeneratedRegex(@"^Failed to convert configuration value '.*' at '(?<path>[^']+)' to type '(?<type>[^']+)'\.$", RegexOptions.Singleline)]
    private static partial Regex BinderFailure();
}
