using System.Text.Json;

namespace Paseto.Auth.IntegrationTests.Fuzz;

/// <summary>One operation of the OpenAPI document, as the fuzzer needs it.</summary>
public sealed record Operation(
    string Method,
    string PathTemplate,
    string Id,
    IReadOnlyList<(string Name, string In, JsonElement Schema, bool Required)> Parameters,
    IReadOnlyDictionary<string, JsonElement> Bodies,
    JsonElement? BodySchema,
    IReadOnlySet<int> Statuses,
    bool IsAnonymous)
{
    public string[] Segments => PathTemplate.Trim('/').Split('/');

    public IReadOnlyList<string> ContentTypes => [.. Bodies.Keys];

    /// <summary>Whether <paramref name="path"/> (no query) is an address of this operation, and how many literal segments matched.</summary>
    public int? Match(string path)
    {
        var actual = path.Trim('/').Split('/');
        if (actual.Length != Segments.Length)
        {
            return null;
        }

        var literals = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            if (Segments[i].StartsWith('{'))
            {
                if (actual[i].Length == 0)
                {
                    return null;
                }
            }
            else if (string.Equals(Segments[i], actual[i], StringComparison.OrdinalIgnoreCase))
            {
                literals++;
            }
            else
            {
                return null;
            }
        }

        return literals;
    }
}

/// <summary>Reads the operations, and resolves schema references, from our own OpenAPI document.</summary>
public sealed class OpenApiOperations(JsonElement document)
{
    public IReadOnlyList<Operation> All { get; } = Read(document);

    public JsonElement Resolve(JsonElement schema)
    {
        while (schema.ValueKind == JsonValueKind.Object)
        {
            if (schema.TryGetProperty("$ref", out var reference))
            {
                schema = document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1]);
            }
            else if (schema.TryGetProperty("allOf", out var all) && all.GetArrayLength() > 0 && !schema.TryGetProperty("type", out _))
            {
                schema = all[0];
            }
            else if ((schema.TryGetProperty("oneOf", out var one) || schema.TryGetProperty("anyOf", out one)) && one.GetArrayLength() > 0)
            {
                schema = one[0];
            }
            else
            {
                break;
            }
        }

        return schema;
    }

    /// <summary>The operation a request to this method and path reaches, as the router would pick it.</summary>
    public Operation? Route(string method, string path) =>
        All.Where(o => o.Method == method)
            .Select(o => (Operation: o, Literals: o.Match(path)))
            .Where(m => m.Literals is not null)
            .OrderByDescending(m => m.Literals)
            .Select(m => m.Operation)
            .FirstOrDefault();

    private static List<Operation> Read(JsonElement document)
    {
        var operations = new List<Operation>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var method in path.Value.EnumerateObject())
            {
                var op = method.Value;
                var parameters = op.TryGetProperty("parameters", out var list)
                    ? list.EnumerateArray().Select(p => (
                        p.GetProperty("name").GetString()!,
                        p.GetProperty("in").GetString()!,
                        p.TryGetProperty("schema", out var s) ? s : default,
                        p.TryGetProperty("required", out var r) && r.GetBoolean())).ToList()
                    : [];
                var bodies = new Dictionary<string, JsonElement>();
                JsonElement? body = null;
                if (op.TryGetProperty("requestBody", out var requestBody) && requestBody.TryGetProperty("content", out var content))
                {
                    foreach (var type in content.EnumerateObject().Where(t => t.Value.TryGetProperty("schema", out _)))
                    {
                        bodies[type.Name] = type.Value.GetProperty("schema");
                        body ??= bodies[type.Name];
                    }
                }

                var statuses = op.GetProperty("responses").EnumerateObject()
                    .Select(r => int.TryParse(r.Name, out var status) ? status : 0)
                    .ToHashSet();
                // The document declares no security of its own, so an operation without any is anonymous too.
                var anonymous = !op.TryGetProperty("security", out var security) || security.GetArrayLength() == 0;
                operations.Add(new Operation(method.Name.ToUpperInvariant(), path.Name,
                    op.TryGetProperty("operationId", out var id) ? id.GetString()! : $"{method.Name} {path.Name}",
                    parameters, bodies, body, statuses, anonymous));
            }
        }

        return operations;
    }
}
