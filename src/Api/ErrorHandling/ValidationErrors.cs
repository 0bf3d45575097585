using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Paseto.Auth.Api.ErrorHandling;

/// <summary>
/// Keys validation errors by the JSON names clients send (<c>referer_secret</c>, not
/// <c>RefererSecret</c>), and replaces the serializer's messages, which name .NET types,
/// with plain ones.
/// </summary>
internal static class ValidationErrors
{
    public const string BodyKey = "body";

    public static Dictionary<string, string[]> FromPropertyPaths(IReadOnlyDictionary<string, string[]> errors)
    {
        var result = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (path, messages) in errors)
        {
            Add(result, ToJsonPath(path), messages);
        }

        return result;
    }

    /// <summary>Model-binding failures: malformed JSON, wrong types, an empty body, bad route or query values.</summary>
    public static Dictionary<string, string[]> FromModelState(ModelStateDictionary modelState)
    {
        var result = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (key, entry) in modelState)
        {
            if (entry.Errors.Count == 0)
            {
                continue;
            }

            if (key.StartsWith("$.", StringComparison.Ordinal) && key.Length > 2)
            {
                Add(result, ToJsonPath(key[2..]), ["The value has the wrong type or format."]);
            }
            else if (key.Length == 0 || key == "$" || key.StartsWith('$') || IsBodyParameter(entry))
            {
                Add(result, BodyKey, ["The request body is missing or is not valid JSON."]);
            }
            else
            {
                Add(result, ToJsonPath(key), ["The value is not valid."]);
            }
        }

        if (result.Count == 0)
        {
            Add(result, BodyKey, ["The request is not valid."]);
        }

        return result;
    }

    private static bool IsBodyParameter(ModelStateEntry entry) =>
        entry.Errors.Any(e => e.Exception is JsonException);

    /// <summary><c>Items[0].FirstName</c> → <c>items[0].first_name</c>.</summary>
    public static string ToJsonPath(string path)
    {
        var builder = new StringBuilder(path.Length + 8);
        foreach (var segment in path.Split('.'))
        {
            if (builder.Length > 0)
            {
                builder.Append('.');
            }

            var bracket = segment.IndexOf('[', StringComparison.Ordinal);
            var name = bracket < 0 ? segment : segment[..bracket];
            builder.Append(IsSnakeCase(name) ? name : JsonNamingPolicy.SnakeCaseLower.ConvertName(name));
            if (bracket >= 0)
            {
                builder.Append(segment, bracket, segment.Length - bracket);
            }
        }

        return builder.ToString();
    }

    private static bool IsSnakeCase(string name) => name.All(c => !char.IsUpper(c));

    private static void Add(Dictionary<string, string[]> errors, string key, string[] messages) =>
        errors[key] = errors.TryGetValue(key, out var existing) ? [.. existing.Union(messages)] : messages;
}
