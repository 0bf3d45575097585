using System.Text.Json;

namespace Paseto.Auth.Paseto.Tests;

/// <summary>
/// Reads the official PASETO/PASERK vectors from shared/test-vectors beside the repository
/// (or from PASETO_TEST_VECTORS). They are never copied into the repository.
/// </summary>
internal static class TestVectors
{
    private static readonly Lazy<string> _directory = new(Locate);

    public static string Directory => _directory.Value;

    public static IEnumerable<TestCaseData> Paseto(Func<PasetoVector, bool> filter) =>
        Read(Path.Combine("paseto", "v4.json"), ToPasetoVector)
            .Where(filter)
            .Select(v => new TestCaseData(v).SetArgDisplayNames(v.Name));

    public static IEnumerable<TestCaseData> Paserk(string type) =>
        Read(Path.Combine("paserk", $"k4.{type}.json"), ToPaserkVector)
            .Select(v => new TestCaseData(v).SetArgDisplayNames(v.Name));

    private static List<T> Read<T>(string relativePath, Func<JsonElement, T> map)
    {
        var path = Path.Combine(Directory, relativePath);
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var tests = document.RootElement.GetProperty("tests").EnumerateArray().Select(map).ToList();
        return tests.Count > 0 ? tests : throw new InvalidOperationException($"No vectors in {relativePath}.");
    }

    private static PasetoVector ToPasetoVector(JsonElement e) => new(
        e.GetProperty("name").GetString()!,
        e.GetProperty("expect-fail").GetBoolean(),
        OptionalString(e, "key"),
        OptionalString(e, "public-key"),
        OptionalString(e, "secret-key"),
        OptionalString(e, "nonce"),
        e.GetProperty("token").GetString()!,
        OptionalString(e, "payload"),
        e.GetProperty("footer").GetString()!,
        e.GetProperty("implicit-assertion").GetString()!);

    private static PaserkVector ToPaserkVector(JsonElement e) => new(
        e.GetProperty("name").GetString()!,
        e.GetProperty("expect-fail").GetBoolean(),
        OptionalString(e, "key"),
        OptionalString(e, "secret-key-seed"),
        OptionalString(e, "public-key"),
        OptionalString(e, "paserk"));

    private static string? OptionalString(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Locate()
    {
        var overridden = Environment.GetEnvironmentVariable("PASETO_TEST_VECTORS");
        if (!string.IsNullOrEmpty(overridden))
        {
            return System.IO.Directory.Exists(overridden)
                ? overridden
                : throw new DirectoryNotFoundException($"PASETO_TEST_VECTORS points to a missing directory: {overridden}");
        }

        var start = TestContext.CurrentContext.TestDirectory ?? AppContext.BaseDirectory;
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Paseto.Auth.sln")))
            {
                var vectors = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "test-vectors"));
                return System.IO.Directory.Exists(vectors)
                    ? vectors
                    : throw new DirectoryNotFoundException($"Test vectors not found at {vectors}; set PASETO_TEST_VECTORS.");
            }
        }

        throw new DirectoryNotFoundException("Paseto.Auth.sln not found above the test directory; set PASETO_TEST_VECTORS.");
    }
}

public sealed record PasetoVector(
    string Name,
    bool ExpectFail,
    string? Key,
    string? PublicKey,
    string? SecretKey,
    string? Nonce,
    string Token,
    string? Payload,
    string Footer,
    string ImplicitAssertion)
{
    public override string ToString() => Name;
}

public sealed record PaserkVector(
    string Name,
    bool ExpectFail,
    string? Key,
    string? SecretKeySeed,
    string? PublicKey,
    string? Paserk)
{
    public override string ToString() => Name;
}
