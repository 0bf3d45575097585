using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.SystemTests.Packaging;

/// <summary>
/// The packages as a consumer gets them: <c>dotnet pack</c> of the PASETO library and the
/// verifier, with a version of this run only, into a folder; a separate ASP.NET Core app that
/// references only those packages, restored with a fresh package cache and a NuGet config that
/// names no registry; the app run against the live service.
/// </summary>
/// <remarks>
/// The app's other dependencies (Geralt and libsodium; ASP.NET Core is the shared framework and
/// needs no package) must come from somewhere without a registry, so the config's second source is
/// the machine's global packages folder, read as a local folder feed: the packages under test can
/// only come from the first source, because their version exists nowhere else, and the cache the
/// build reads (<c>NUGET_PACKAGES</c>) starts empty, so every file the app compiles and runs with
/// was extracted from the .nupkg just packed. A file missing from a package fails the build or the run.
/// </remarks>
public sealed class NuGetPackageTests
{
    private static readonly string[] _sources = ["src/Paseto", "src/Verifier", "src/Shared"];
    private static readonly string[] _rootFiles = ["LICENSE", "Directory.Build.props", "Directory.Packages.props", "global.json", ".editorconfig"];

    private string _work = null!;

    [SetUp]
    public void CreateWorkFolder() => _work = Directory.CreateTempSubdirectory("paseto-auth-packages-").FullName;

    [TearDown]
    public void RemoveWorkFolder() => Directory.Delete(_work, recursive: true);

    [Test]
    public async Task A_separate_app_built_from_the_packed_packages_accepts_tokens_offline_and_refuses_a_revoked_one_through_introspection()
    {
        var version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        var feed = Directory.CreateDirectory(Path.Combine(_work, "feed")).FullName;
        var sources = CopySources();
        foreach (var project in new[] { "src/Paseto", "src/Verifier" })
        {
            await RunAsync("dotnet", ["pack", Path.Combine(sources, project), "-c", "Release", "-nologo", $"-p:Version={version}", "-o", feed], sources);
        }

        AssertPackageHolds(Path.Combine(feed, $"Paseto.Auth.Paseto.{version}.nupkg"), "Paseto.Auth.Paseto");
        AssertPackageHolds(Path.Combine(feed, $"Paseto.Auth.Verifier.{version}.nupkg"), "Paseto.Auth.Verifier");

        var app = WriteApp(version, feed);
        var cache = Path.Combine(_work, "packages");
        var environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = cache };
        await RunAsync("dotnet", ["build", app, "-c", "Release", "-nologo"], app, environment);
        Assert.That(Directory.Exists(Path.Combine(cache, "paseto.auth.verifier", version)), Is.True, "restored from the packed package into the fresh cache");

        var database = await TestPostgres.CreateDatabaseAsync();
        await using var service = ApiFactory.OnSocket(database, IntrospectionClients.Settings(new Dictionary<string, string?>
        {
            ["Paseto:Purpose"] = "public",
            ["Paseto:Keys:0"] = TestKeys.Secret,
        }));
        using var serviceClient = service.CreateClient();
        var tokens = await serviceClient.MemberAsync("alice");

        var port = LoopbackPort.Free();
        using var running = Start(Path.Combine(app, "bin", "Release", "net10.0", "TinyApi.dll"), port, service.Port);
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await WaitUntilListeningAsync(client, running);

            Assert.That(await GetAsync(client, "/offline", tokens.AccessToken), Is.EqualTo((HttpStatusCode.OK, "alice")));
            Assert.That(await GetAsync(client, "/live", tokens.AccessToken), Is.EqualTo((HttpStatusCode.OK, "alice")));

            Assert.That((await serviceClient.SendAsync(HttpMethod.Post, "/v1/logout", tokens.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

            Assert.That((await GetAsync(client, "/live", tokens.AccessToken)).Status, Is.EqualTo(HttpStatusCode.Unauthorized), "introspection sees the logout");
            Assert.That((await GetAsync(client, "/offline", tokens.AccessToken)).Status, Is.EqualTo(HttpStatusCode.OK), "an offline check sees the token as issued");
        }
        finally
        {
            running.Kill(entireProcessTree: true);
            await running.WaitForExitAsync();
        }
    }

    private static void AssertPackageHolds(string nupkg, string id)
    {
        Assert.That(File.Exists(nupkg), Is.True, nupkg);
        using var zip = ZipFile.OpenRead(nupkg);
        var entries = zip.Entries.Select(e => e.FullName).ToArray();
        Assert.That(entries, Is.SupersetOf(new[] { $"lib/net10.0/{id}.dll", $"lib/net10.0/{id}.xml", "README.md", "LICENSE", $"{id}.nuspec" }), id);
        using var nuspec = new StreamReader(zip.GetEntry($"{id}.nuspec")!.Open());
        var text = nuspec.ReadToEnd();
        Assert.That(text, Does.Contain("<license type=\"expression\">MIT</license>").And.Contain("<readme>README.md</readme>"), id);
        Assert.That(File.Exists(Path.ChangeExtension(nupkg, ".snupkg")), Is.True, $"{id} has a symbols package");
    }

    /// <summary>The two libraries' sources alone, with the build settings they need, so the pack touches nothing of the repository's own build.</summary>
    private string CopySources()
    {
        var root = TestPostgres.RepositoryRoot();
        var copy = Path.Combine(_work, "src-copy");
        foreach (var folder in _sources)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, folder), "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(root, file);
                if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
                {
                    continue;
                }

                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(copy, relative))!);
                File.Copy(file, Path.Combine(copy, relative));
            }
        }

        foreach (var file in _rootFiles)
        {
            File.Copy(Path.Combine(root, file), Path.Combine(copy, file));
        }

        return copy;
    }

    private string WriteApp(string version, string feed)
    {
        var app = Directory.CreateDirectory(Path.Combine(_work, "app")).FullName;
        var globalPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set
            ? set
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="packed" value="{feed}" />
                <add key="machine-cache" value="{globalPackages}" />
              </packageSources>
              <fallbackPackageFolders>
                <clear />
              </fallbackPackageFolders>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(app, "TinyApi.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Paseto.Auth.Verifier" Version="{version}" />
                <PackageReference Include="Paseto.Auth.Paseto" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using Paseto.Auth.Paseto;
            using Paseto.Auth.Verifier;

            var builder = WebApplication.CreateBuilder(args);
            var authority = builder.Configuration["Authority"];
            builder.Services.AddAuthentication(PasetoAuthDefaults.AuthenticationScheme)
                .AddPasetoAuth(o => { o.Authority = authority; o.Audience = "paseto-auth"; })
                .AddPasetoAuth("live", o =>
                {
                    o.Authority = authority;
                    o.Audience = "paseto-auth";
                    o.Introspection = new() { ClientId = builder.Configuration["ClientId"], ClientSecret = builder.Configuration["ClientSecret"] };
                });
            builder.Services.AddAuthorization();
            var app = builder.Build();
            app.UseAuthentication();
            app.UseAuthorization();
            app.MapGet("/offline", (HttpContext c) => c.User.Identity!.Name).RequireAuthorization();
            app.MapGet("/live", (HttpContext c) => c.User.Identity!.Name)
                .RequireAuthorization(p => p.AddAuthenticationSchemes("live").RequireAuthenticatedUser());
            app.MapGet("/limit", () => PasetoLimits.MaxTokenLength);
            app.Run();
            """);
        return app;
    }

    private static Process Start(string dll, int port, int servicePort)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["Authority"] = $"http://127.0.0.1:{servicePort}";
        start.Environment["ClientId"] = IntrospectionClients.Id;
        start.Environment["ClientSecret"] = IntrospectionClients.Secret;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitUntilListeningAsync(HttpClient client, Process process)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            Assert.That(process.HasExited, Is.False, "the app stopped");
            try
            {
                if ((await client.GetAsync("/limit")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        Assert.Fail("The app did not start listening.");
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(HttpClient client, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task RunAsync(string file, string[] arguments, string directory, Dictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment ?? [])
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.That(process.ExitCode, Is.Zero, $"{file} {string.Join(' ', arguments)}\n{await output}\n{await error}");
    }
}
