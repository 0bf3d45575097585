namespace Paseto.Auth.Api.Hosting;

/// <summary>What the command line asks the host to do.</summary>
internal enum HostAction
{
    /// <summary>Run the API.</summary>
    Serve,

    /// <summary>Run one verb and exit.</summary>
    Verb,

    /// <summary>Print the usage (of every verb, or of <see cref="HostCommand.Verb"/>) and exit 0.</summary>
    Help,

    /// <summary>The first argument names no verb: print it with the usage on standard error and exit 2.</summary>
    UnknownVerb,
}

/// <param name="Verb">The verb to run or describe, or the unknown word.</param>
/// <param name="HostArgs">The arguments left for the host's configuration (<c>--urls</c>, <c>--Section:Key value</c>, …).</param>
internal sealed record HostCommand(HostAction Action, string? Verb, string[] HostArgs);

/// <summary>
/// Reads the command line: <c>[verb] [options] [host options]</c>. The first argument names a verb
/// unless it is a host option (<c>--key</c>, <c>-k</c>, <c>/key</c> or <c>key=value</c>, as the
/// .NET configuration reads them); a word that is neither is an unknown verb, never a reason to
/// start the server.
/// </summary>
internal static class HostCommandLine
{
    public const string Migrate = "migrate";
    public const string GenerateKeys = "generate-keys";
    public const string CreateAdmin = "create-admin";
    public const string GenerateIntrospectionSecret = "generate-introspection-secret";

    private const string Program = "dotnet Paseto.Auth.Api.dll";

    private static readonly string[] _helpWords = ["--help", "-h", "help"];

    private static readonly (string Verb, string Usage, string Meaning)[] _verbs =
    [
        (Migrate, Migrate, "Apply the database migrations (creating the schema on an empty database) and exit."),
        (GenerateKeys, $"{GenerateKeys} [--purpose local|public]",
            "Print a new PASERK key alone on standard output (k4.local, or k4.secret for --purpose public; default: Paseto:Purpose) "
            + "and its id (and public key) on standard error, so SECRET_KEY=$(… generate-keys) holds just the key. Needs no database."),
        (GenerateIntrospectionSecret, $"{GenerateIntrospectionSecret} [--id NAME]",
            "Print a new 256-bit secret for a resource server's token introspection alone on standard output, for the resource "
            + "server, and on standard error its SHA-256, which is what the service is configured with (Introspection__Clients__N__Secret; "
            + "the service never holds the secret). Needs no database."),
        (CreateAdmin, $"{CreateAdmin} --username NAME --email EMAIL [--firstname NAME] [--reset-password]",
            "Create an admin, or make the existing account NAME an admin (its email must be EMAIL). An existing account keeps "
            + "its password unless --reset-password replaces it, which also revokes its sessions. A password, when one is needed, "
            + "comes from ADMIN_PASSWORD or the first line of standard input (at a terminal, a prompt that does not show it), "
            + "never from the arguments."),
    ];

    public static IReadOnlyList<string> Verbs { get; } = [.. _verbs.Select(v => v.Verb)];

    public static HostCommand Parse(string[] args)
    {
        if (args.Length == 0)
        {
            return new HostCommand(HostAction.Serve, null, args);
        }

        var first = args[0];
        if (_helpWords.Contains(first, StringComparer.Ordinal))
        {
            var about = args.Length > 1 && Verbs.Contains(args[1], StringComparer.Ordinal) ? args[1] : null;
            return new HostCommand(HostAction.Help, about, []);
        }

        if (Verbs.Contains(first, StringComparer.Ordinal))
        {
            var rest = args[1..];
            return IsHelp(rest) ? new HostCommand(HostAction.Help, first, []) : new HostCommand(HostAction.Verb, first, rest);
        }

        if (IsHostOption(first))
        {
            return IsHelp(args) ? new HostCommand(HostAction.Help, null, []) : new HostCommand(HostAction.Serve, null, args);
        }

        return new HostCommand(HostAction.UnknownVerb, first, []);
    }

    /// <summary>Answers help and unknown verbs, which need no host: true when nothing is left to do.</summary>
    public static bool TryAnswer(HostCommand command, out int exitCode)
    {
        switch (command.Action)
        {
            case HostAction.Help:
                Console.Out.Write(Usage(command.Verb));
                exitCode = 0;
                return true;
            case HostAction.UnknownVerb:
                var suggestion = Suggest(command.Verb!);
                Console.Error.WriteLine($"Unknown verb '{command.Verb}'.{(suggestion is null ? "" : $" Did you mean '{suggestion}'?")}");
                Console.Error.Write("\n" + Usage());
                exitCode = 2;
                return true;
            default:
                exitCode = 0;
                return false;
        }
    }

    /// <summary>The usage of every verb, or of one.</summary>
    public static string Usage(string? verb = null)
    {
        if (verb is not null)
        {
            var (_, usage, meaning) = _verbs.Single(v => v.Verb == verb);
            return $"usage: {Program} {usage} [host options]\n\n{Wrap(meaning, 2)}\n";
        }

        var verbs = string.Concat(_verbs.Select(v => $"  {v.Usage}\n{Wrap(v.Meaning, 6)}\n"));
        return $"""
            usage: {Program} [host options]                 run the API
                   {Program} <verb> [options] [host options]
                   {Program} --help | -h | help [verb]

            Verbs:
            {verbs}
            Host options (any setting also reads from the environment as Section__Key):
              --urls URL[;URL]            where to listen (ASPNETCORE_URLS; default http://localhost:5000)
              --environment NAME          Development, Production (the default), … (ASPNETCORE_ENVIRONMENT)
              --Section:Key VALUE         any setting, e.g. --Paseto:Purpose public

            Settings a first start needs: ConnectionStrings__Postgres or DATABASE_URL; in Production also
            Paseto__Keys__0 or SECRET_KEY (from generate-keys) and REFERER_SECRET. docs/operations.md lists them all.

            Exit codes: 0 done; 1 a setting is wrong or the database refuses (one line on standard error
            names the setting and the fix); 2 a usage error.

            """;
    }

    /// <summary>The verb the word was probably meant to be: one or two edits away, or a prefix of it.</summary>
    public static string? Suggest(string word) =>
        Verbs.Select(v => (Verb: v, Distance: Distance(word, v)))
            .Where(c => c.Distance <= 2 || (word.Length >= 3 && c.Verb.StartsWith(word, StringComparison.Ordinal)))
            .OrderBy(c => c.Distance)
            .Select(c => c.Verb)
            .FirstOrDefault();

    private static bool IsHelp(string[] args) => args.Any(a => a is "--help" or "-h");

    private static bool IsHostOption(string argument) =>
        argument.StartsWith('-') || argument.StartsWith('/') || argument.Contains('=', StringComparison.Ordinal);

    /// <summary>Levenshtein distance, for a handful of short words.</summary>
    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            previous = current;
        }

        return previous[b.Length];
    }

    private static string Wrap(string text, int indent)
    {
        const int Width = 100;
        var lines = new List<string>();
        var line = new System.Text.StringBuilder();
        foreach (var word in text.Split(' '))
        {
            if (line.Length > 0 && indent + line.Length + 1 + word.Length > Width)
            {
                lines.Add(line.ToString());
                line.Clear();
            }

            line.Append(line.Length > 0 ? " " : string.Empty).Append(word);
        }

        lines.Add(line.ToString());
        return string.Join('\n', lines.Select(l => new string(' ', indent) + l));
    }
}
