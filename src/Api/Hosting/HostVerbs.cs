using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Application.Users;
using Paseto.Auth.Infrastructure;
using Paseto.Auth.Infrastructure.Persistence;
using Paseto.Auth.Infrastructure.Tokens;
using Paseto.Auth.Paseto;

namespace Paseto.Auth.Api.Hosting;

/// <summary>
/// The command-line verbs of the host (<see cref="HostCommandLine"/> reads them):
/// <c>migrate</c> applies the migrations and exits;
/// <c>generate-keys [--purpose local|public]</c> prints a new PASERK key alone on standard output
/// and its id on standard error (no database needed);
/// <c>generate-introspection-secret [--id NAME]</c> prints a resource server's introspection secret on standard
/// output and its SHA-256, for the service's configuration, on standard error (no database needed);
/// <c>create-admin --username U --email E [--firstname F] [--reset-password]</c> creates an admin,
/// or makes the existing account with that username and email one; the password (for a new account,
/// or to replace it) comes from <c>ADMIN_PASSWORD</c> or standard input, never from the arguments.
/// </summary>
internal static class HostVerbs
{
    public const string AdminPasswordVariable = "ADMIN_PASSWORD";

    /// <summary>Verbs that need no host (and so no database).</summary>
    public static bool TryRunWithoutHost(string? verb, string[] args, IConfiguration configuration, out int exitCode)
    {
        exitCode = 0;
        if (verb == HostCommandLine.GenerateIntrospectionSecret)
        {
            GenerateIntrospectionSecret(Option(args, "--id"));
            return true;
        }

        if (verb != HostCommandLine.GenerateKeys)
        {
            return false;
        }

        var purposeArgument = Option(args, "--purpose") ?? configuration[$"{PasetoOptions.Section}:Purpose"];
        PasetoPurpose purpose;
        try
        {
            purpose = KeyRingFactory.ParsePurpose(purposeArgument);
        }
        catch (ConfigurationException ex)
        {
            Console.Error.WriteLine(ex.Message);
            exitCode = 2;
            return true;
        }

        // The key alone on standard output, so SECRET_KEY=$(… generate-keys) holds just the key;
        // what a person reads goes to standard error.
        if (purpose == PasetoPurpose.Local)
        {
            var key = SymmetricKey.Generate();
            Console.Error.WriteLine($"# purpose local, id {key.Id}");
            Console.Out.WriteLine(key.ToPaserk());
        }
        else
        {
            var key = AsymmetricSecretKey.Generate();
            Console.Error.WriteLine($"# purpose public, id {key.PublicKey.Id}; public key {key.PublicKey.ToPaserk()}");
            Console.Out.WriteLine(key.ToPaserk());
        }

        return true;
    }

    /// <summary>
    /// A resource server's introspection secret: 32 random bytes as unpadded base64url alone on
    /// standard output (for the resource server), and on standard error the SHA-256 the service is
    /// configured with, so the secret itself never needs to be stored on the service's side.
    /// </summary>
    private static void GenerateIntrospectionSecret(string? id)
    {
        var secret = System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var hash = Convert.ToHexStringLower(Application.Auth.IntrospectionClientOptions.HashOf(secret));
        var name = string.IsNullOrWhiteSpace(id) ? "<client id>" : id;
        Console.Error.WriteLine($"# configure the service with Introspection__Clients__N__Id={name} and Introspection__Clients__N__Secret={hash}");
        Console.Out.WriteLine(secret);
    }

    public static async Task<int> RunAsync(WebApplication app, string verb, string[] args)
    {
        await using var scope = app.Services.CreateAsyncScope();
        switch (verb)
        {
            case HostCommandLine.Migrate:
                await MigrateAsync(scope.ServiceProvider.GetRequiredService<AuthDbContext>());
                await Console.Out.WriteLineAsync("Migrations applied.");
                return 0;
            case HostCommandLine.CreateAdmin:
                return await CreateAdminAsync(
                    scope.ServiceProvider.GetRequiredService<ISender>(),
                    scope.ServiceProvider.GetRequiredService<IUserRepository>(),
                    scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<Application.AuthOptions>>().Value.Mfa,
                    args);
            default:
                throw new System.Diagnostics.UnreachableException($"'{verb}' is not a verb that needs the host.");
        }
    }

    /// <summary>
    /// Applies the migrations. EF Core tells whether the history table exists by reading it, and
    /// on a database without one logs that failing query, with its SQL, as an error: every first
    /// migrate would look broken. Creating the table first (<c>CREATE TABLE IF NOT EXISTS</c>, which
    /// the migrator runs anyway) leaves nothing to fail; on a database that does not exist yet EF
    /// creates both. The change is this verb's alone: the service's own logging is untouched.
    /// </summary>
    private static async Task MigrateAsync(AuthDbContext db)
    {
        if (await db.GetService<IRelationalDatabaseCreator>().ExistsAsync())
        {
            await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync();
        }

        await db.Database.MigrateAsync();
    }

    private static async Task<int> CreateAdminAsync(ISender sender, IUserRepository users, Application.SecondFactor.MfaOptions mfa, string[] args)
    {
        var username = Option(args, "--username");
        var email = Option(args, "--email");
        if (username is null || email is null)
        {
            await Console.Error.WriteAsync(HostCommandLine.Usage(HostCommandLine.CreateAdmin));
            return 2;
        }

        // A password is read only when it will be used: for a new account, or to replace one.
        // Otherwise making a member an admin would wait for a line nobody knows to type.
        var reset = args.Contains("--reset-password", StringComparer.Ordinal);
        var password = Environment.GetEnvironmentVariable(AdminPasswordVariable);
        if (string.IsNullOrEmpty(password) && (reset || await users.FindByUsernameAsync(username, CancellationToken.None) is null))
        {
            password = ReadPassword(username);
        }

        try
        {
            var result = await sender.Send(new CreateAdminCommand(
                username, email, string.IsNullOrEmpty(password) ? null : password, Option(args, "--firstname") ?? username,
                ResetPassword: reset));
            await Console.Out.WriteLineAsync(Describe(result));
            if (mfa.IsRequiredFor(Domain.Users.Roles.Admin) && result.Profile.MfaEnabled != true)
            {
                // Until then every admin endpoint answers 403 mfa-enrollment-required: say so now.
                await Console.Out.WriteLineAsync(
                    "Admin endpoints need a second factor (Auth:Mfa:RequiredForRoles): log in, enrol TOTP (POST /v1/users/me/mfa/totp, then …/confirm), and log in again with a code.");
            }

            return 0;
        }
        catch (RequestValidationException ex)
        {
            foreach (var (field, messages) in ex.Errors)
            {
                await Console.Error.WriteLineAsync($"{field}: {string.Join(" ", messages)}");
            }

            return 1;
        }
        catch (ConflictException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return 1;
        }
    }

    /// <summary>
    /// The first line of standard input; at a terminal, after a prompt on standard error and without
    /// echoing what is typed.
    /// </summary>
    private static string? ReadPassword(string username)
    {
        if (Console.IsInputRedirected)
        {
            return Console.In.ReadLine()?.TrimEnd('\r', '\n');
        }

        Console.Error.Write($"Password for '{username}' (not shown; or set {AdminPasswordVariable}): ");
        var password = new System.Text.StringBuilder();
        while (Console.ReadKey(intercept: true) is var key && key.Key != ConsoleKey.Enter)
        {
            if (key.Key == ConsoleKey.Backspace)
            {
                password.Length = Math.Max(0, password.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                password.Append(key.KeyChar);
            }
        }

        Console.Error.WriteLine();
        return password.ToString();
    }

    /// <summary>What create-admin did, the password included, so nobody has to guess whether it was used.</summary>
    private static string Describe(CreateAdminResult result)
    {
        var account = $"'{result.Profile.Username}' (id {result.Profile.Id})";
        if (result.Created)
        {
            return $"Created admin {account}.";
        }

        var role = result.Promoted ? $"Promoted {account} from {result.PreviousRole} to admin." : $"{account} already is an admin.";
        var active = result.Reactivated ? " The account was inactive and is active again." : string.Empty;
        var password = result.PasswordReplaced
            ? $" The password was replaced; {result.SessionsRevoked} {(result.SessionsRevoked == 1 ? "session" : "sessions")} revoked."
            : " The password was not changed (--reset-password replaces it).";
        var nothing = !result.Promoted && !result.Reactivated && !result.PasswordReplaced ? " Nothing changed." : string.Empty;
        return role + active + password + nothing;
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
