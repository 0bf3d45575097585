using System.Reflection;
using System.Xml.Linq;
using NetArchTest.Rules;
using Paseto.Auth.Application;
using Paseto.Auth.Domain.Users;
using Paseto.Auth.Infrastructure.Persistence;
using Paseto.Auth.Paseto;
using Paseto.Auth.Verifier;

namespace Paseto.Auth.UnitTests.Architecture;

/// <summary>
/// What each layer may reference, checked in both places a reference can come in: the project
/// file (a reference nobody uses yet still lets the next change use it) and the compiled
/// assembly (a reference that came in some other way, e.g. transitively, and is used).
/// </summary>
public sealed class LayerTests
{
    /// <summary>The persistence packages: only Infrastructure and the composition root may touch them.</summary>
    private static readonly string[] _persistence = ["Microsoft.EntityFrameworkCore", "Npgsql", "EFCore."];

    private static readonly string[] _web = ["Microsoft.AspNetCore"];

    /// <summary>
    /// The Api types that may use EF Core or Npgsql: the composition root. Program wires the
    /// persistence up; HostVerbs runs the <c>migrate</c> verb from it before any request is served.
    /// </summary>
    private static readonly string[] _apiPersistenceUsers = ["Program", "Paseto.Auth.Api.Hosting.HostVerbs"];

    public sealed record Layer(string Project, Assembly Assembly, string[] MayReference, string[] MustNotUse)
    {
        public override string ToString() => Project;
    }

    public static IEnumerable<Layer> Layers() =>
    [
        new("Domain", typeof(User).Assembly, [], [.. _persistence, .. _web]),
        new("Application", typeof(AuthOptions).Assembly, ["Domain"], [.. _persistence, .. _web]),
        new("Infrastructure", typeof(AuthDbContext).Assembly, ["Application", "Domain", "Paseto"], []),
        new("Paseto", typeof(KeyRing).Assembly, [], [.. _persistence, .. _web]),
        // Other services reference it: the PASETO library and ASP.NET Core only, none of the service.
        new("Verifier", typeof(PasetoAuthDefaults).Assembly, ["Paseto"], [.. _persistence]),
    ];

    [TestCaseSource(nameof(Layers))]
    public void The_project_file_references_only_the_layers_it_may(Layer layer)
    {
        var project = XDocument.Load(Path.Combine(RepositoryRoot(), "src", layer.Project, $"{layer.Project}.csproj"));
        var projects = project.Descendants("ProjectReference").Select(r => Path.GetFileNameWithoutExtension(Include(r).Replace('\\', '/')));
        var packages = project.Descendants().Where(e => e.Name.LocalName is "PackageReference" or "FrameworkReference").Select(Include);

        Assert.That(projects, Is.SubsetOf(layer.MayReference), $"src/{layer.Project} may reference only these of our projects");
        Assert.That(packages.Where(p => layer.MustNotUse.Any(p.StartsWith)), Is.Empty, $"src/{layer.Project} must not reference these packages");
    }

    [TestCaseSource(nameof(Layers))]
    public void The_assembly_references_only_the_layers_it_may(Layer layer)
    {
        var references = layer.Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.That(references.Where(r => r.StartsWith("Paseto.Auth.", StringComparison.Ordinal)),
            Is.SubsetOf(layer.MayReference.Select(p => $"Paseto.Auth.{p}")), $"{layer.Assembly.GetName().Name} uses only these of our assemblies");
        Assert.That(references.Where(r => layer.MustNotUse.Any(r.StartsWith)), Is.Empty, $"{layer.Assembly.GetName().Name} must not use these assemblies");
    }

    [Test]
    public void Only_the_composition_root_of_the_api_uses_ef_core_or_npgsql()
    {
        var result = Types.InAssembly(typeof(Program).Assembly).Should().NotHaveDependencyOnAny(_persistence).GetResult();

        var offenders = (result.FailingTypes ?? []).Select(t => Outermost(t.ReflectionType).FullName!).Distinct();

        Assert.That(offenders, Is.SubsetOf(_apiPersistenceUsers),
            "EF Core and Npgsql stay behind Infrastructure's repositories and unit of work");
    }

    private static string Include(XElement reference) => reference.Attribute("Include")?.Value ?? "";

    /// <summary>The type a nested one (an async state machine, a lambda's closure) was written in.</summary>
    private static Type Outermost(Type type) => type.DeclaringType is { } outer ? Outermost(outer) : type;

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Paseto.Auth.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Paseto.Auth.sln not found above the test directory.");
    }
}
