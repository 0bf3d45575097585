using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Fuzz;

/// <summary>
/// Makes requests for any operation of the document: mostly schema-valid, or with one mutation —
/// wrong types, missing and unknown fields, odd strings, broken JSON, wrong content types, garbage
/// path, query and header values, broken credentials. Knows nothing about particular operations;
/// only a few field names get realistic values so valid requests get past the first check.
/// </summary>
public sealed class RequestGenerator(OpenApiOperations document, Random random, Func<string> memberToken, Func<string> memberName)
{
    private const string FormContentType = "application/x-www-form-urlencoded";

    private static readonly string[] _garbage =
    [
        "", " ", "null", "-1", "0", "99999999999999999999", "1e308", "NaN", "true", "[]", "{}", "..", "../..", "%00", "%ff%fe", "%2e%2e%2f",
        "' OR 1=1 --", "\"; DROP TABLE users; --", "<script>alert(1)</script>", "${jndi:ldap://x}", "%s%s%s%n", "é", "😀", "\u202e", "ℌ",
        "00000000-0000-0000-0000-000000000000", "me", "signup", "admin", "v4.local.", "k4.local.AAAA",
    ];

    private const string LoneSurrogate = "LONE-SURROGATE";

    /// <summary>Charsets a JSON body may be declared in: UTF-8 spelled every way it may be, and others that must be refused.</summary>
    private static readonly string[] _charsets = ["utf-8", "UTF-8", "\"utf-8\"", "utf8", "latin1", "utf-16", "utf-16be", "UTF-32", "\"utf-7\"", "bogus", ""];

    /// <summary>Headers the API reads, and a value each would have: bytes above 0x7F go in among it.</summary>
    private static readonly (string Name, string Value)[] _headersRead =
    [
        ("User-Agent", "Mozilla/5.0 (X11; Linux x86_64)"), ("If-Match", "\"1-1\""), ("If-None-Match", "\"1-1\""),
        ("X-Forwarded-For", "10.0.0.1, 10.0.0.2"), ("Accept", "application/json"), ("Origin", "http://example.test"), ("Accept-Language", "de-CH"),
    ];

    /// <summary>Byte runs above 0x7F, each character one byte on the wire: UTF-8 and not.</summary>
    private static readonly string[] _highBytes =
    [
        "\u00ff", "\u00e9", "\u0080", "\u00c3\u00a9" /* é in UTF-8 */, "\u00c3\u0028" /* a broken sequence */,
        "\u00ed\u00a0\u0080" /* an encoded surrogate */, "\u00c0\u00ae" /* overlong */, "\u00f0\u009f\u0098\u0080" /* an emoji */,
    ];

    /// <summary>Percent-encoded bytes that are not UTF-8: lone bytes, overlong forms, surrogates, beyond U+10FFFF, cut sequences.</summary>
    private static readonly string[] _badPercent = ["%FF", "%FE%FF", "%80", "%C3", "%C0%AE", "%E0%80%AF", "%ED%A0%80", "%F4%90%80%80", "%C3%28"];

    /// <summary>A request as <see cref="Next"/> makes it, with one mutation only a socket carries.</summary>
    public FuzzRequest NextRaw()
    {
        var request = Next();
        var headers = request.Headers.ToList();
        switch (random.Next(5))
        {
            case 0:
                headers.RemoveAll(h => h.Item1 == "Authorization");
                headers.Add(("Authorization", HighBytes("Bearer " + memberToken())));
                return request with { Headers = headers, Mutation = request.Mutation + "; bytes above 0x7F in Authorization" };
            case 1:
                var (name, value) = Pick(_headersRead);
                headers.RemoveAll(h => h.Item1 == name);
                headers.Add((name, HighBytes(value)));
                return request with { Headers = headers, Mutation = request.Mutation + $"; bytes above 0x7F in {name}" };
            case 2 when request.Body is not null:
                return request with { ContentType = HighBytes(request.ContentType ?? "application/json"), Mutation = request.Mutation + "; bytes above 0x7F in Content-Type" };
            case 3:
                var segments = request.PathAndQuery.Split('?')[0].Split('/');
                var at = random.Next(1, segments.Length);
                segments[at] = Pick(_badPercent) + segments[at];
                var query = request.PathAndQuery.Contains('?', StringComparison.Ordinal) ? "?" + request.PathAndQuery.Split('?', 2)[1] : string.Empty;
                return request with { PathAndQuery = string.Join('/', segments) + query, Mutation = request.Mutation + "; not UTF-8 in the path" };
            default:
                var separator = request.PathAndQuery.Contains('?', StringComparison.Ordinal) ? "&" : "?";
                var pair = random.Next(4) == 0 ? $"{Pick(_badPercent)}={Word()}" : $"{Pick(["limit", "cursor", "author", "type", "q", "x"])}={Pick(_badPercent)}{Word()}";
                var raw = random.Next(8) == 0 ? Pick(_highBytes) : string.Empty;
                return request with { PathAndQuery = request.PathAndQuery + separator + pair + raw, Mutation = request.Mutation + (raw.Length > 0 ? "; raw bytes in the query" : "; not UTF-8 in the query") };
        }
    }

    public FuzzRequest Next()
    {
        var operation = document.All[random.Next(document.All.Count)];
        var mutation = random.Next(14);
        var headers = new List<(string, string)>();
        var identity = random.Next(3);
        if (identity == 0)
        {
            headers.Add(("Authorization", "Bearer " + memberToken()));
        }

        string? contentType = operation.ContentTypes.Count > 0 ? operation.ContentTypes[random.Next(operation.ContentTypes.Count)] : null;
        byte[]? body = contentType is null ? null
            : contentType == FormContentType ? Utf8(Form(Valid(operation.Bodies[contentType], 0)))
            : Utf8(Valid(operation.Bodies[contentType], 0).ToJsonString());
        var path = Path(operation, garbage: mutation == 1);
        var query = Query(operation, garbage: mutation == 2);
        string label;
        switch (mutation)
        {
            case 0:
                label = "valid";
                break;
            case 1:
                label = "garbage path value";
                break;
            case 2:
                label = "garbage query values";
                break;
            case 3:
                label = "broken Authorization";
                headers.RemoveAll(h => h.Item1 == "Authorization");
                headers.Add(("Authorization", BrokenAuthorization()));
                break;
            case 4:
                label = "garbage If-Match and headers";
                headers.Add(("If-Match", Pick(["*", "\"\"", "W/\"x\"", "\"" + new string('9', 40) + "\"", "garbage", "\"1\", \"2\"", Text(0, 200)])));
                headers.Add((Pick(["Accept", "Accept-Language", "X-Forwarded-For", "User-Agent", "Origin", "Cookie", "Content-Encoding"]), HeaderGarbage()));
                break;
            case 5:
                label = "wrong content type";
                contentType = Pick(["text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/jso", "*/*", ";;;", .. _charsets.Select(c => "application/json; charset=" + c),
                    "application/x-www-form-urlencoded; charset=utf-16", "text/plain; charset=utf-8"]);
                body ??= Utf8("{}");
                break;
            case 6:
                label = "no body";
                body = null;
                break;
            default:
                if (operation.BodySchema is null)
                {
                    label = "valid";
                    break;
                }

                (label, body) = MutateBody(operation.BodySchema.Value, mutation);
                break;
        }

        if (body is not null && contentType is null)
        {
            contentType = "application/json";
        }

        return new FuzzRequest(operation.Method, path + query, headers, body, body is null ? null : contentType,
            $"{operation.Id}: {label} as {(identity == 0 ? "member" : "anonymous")}");
    }

    /// <summary>An object's fields as an <c>application/x-www-form-urlencoded</c> body.</summary>
    private static string Form(JsonNode value) =>
        string.Join('&', ((JsonObject)value)
            .Where(field => field.Value is not null)
            .Select(field => $"{Uri.EscapeDataString(field.Key)}={Uri.EscapeDataString(field.Value is JsonValue v && v.TryGetValue<string>(out var text) ? text : field.Value!.ToJsonString())}"));

    private (string Label, byte[] Body) MutateBody(JsonElement schema, int mutation)
    {
        var valid = Valid(schema, 0);
        var properties = valid is JsonObject o ? o.Select(p => p.Key).ToList() : [];
        switch (mutation)
        {
            case 7 when properties.Count > 0:
                ((JsonObject)valid)[Pick(properties)] = Pick<JsonNode?>([42, -1.5, true, null, new JsonArray(1, 2), new JsonObject { ["a"] = 1 }, "text"]);
                return ("a field of the wrong type", Utf8(valid.ToJsonString()));
            case 8 when properties.Count > 0:
                ((JsonObject)valid).Remove(Pick(properties));
                return ("a missing field", Utf8(valid.ToJsonString()));
            case 9:
                if (valid is JsonObject unknown)
                {
                    unknown[Text(1, 12)] = Text(0, 20);
                }

                return ("an unknown field", Utf8(valid.ToJsonString()));
            case 10 when properties.Count > 0:
                ((JsonObject)valid)[Pick(properties)] = Pick([
                    "", new string('x', random.Next(200, 6000)), new string('x', 40_000), "a\u0000b\u0001\u001f\u007f", LoneSurrogate, Text(1, 64),
                ]);

                // The writer would send a lone surrogate as U+FFFD, so its escape is put in afterwards.
                return ("an odd string", Utf8(valid.ToJsonString().Replace(LoneSurrogate, Pick(["\\ud800", "a\\udfffb", "\\udbff\\u0041"]), StringComparison.Ordinal)));
            case 11:
                var text = valid.ToJsonString();
                var bytes = Utf8(text).ToList();
                bytes.InsertRange(random.Next(bytes.Count), Pick<byte[]>([[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x80]]));
                return ("invalid UTF-8", [.. bytes]);
            case 12:
                var json = valid.ToJsonString();
                return ("malformed JSON", Utf8(Pick([json[..random.Next(json.Length)], json + "}", json.Replace(':', '='), "{'a':1}", "{\"a\":1,}", "[" + json, "\u00ef\u00bb\u00bf" + json, "nul"])));
            default:
                var depth = random.Next(30, 3000);
                return ("deeply nested JSON", Utf8("{\"a\":" + new string('[', depth) + new string(']', depth) + "}"));
        }
    }

    /// <summary>A value the schema accepts; a few field names get values the service will accept too.</summary>
    private JsonNode Valid(JsonElement schema, int depth)
    {
        schema = document.Resolve(schema);
        var type = schema.TryGetProperty("type", out var t) ? t.GetString() : "object";
        if (schema.TryGetProperty("enum", out var values) && values.GetArrayLength() > 0)
        {
            return JsonNode.Parse(values[random.Next(values.GetArrayLength())].GetRawText())!;
        }

        switch (type)
        {
            case "object":
                var result = new JsonObject();
                if (depth < 4 && schema.TryGetProperty("properties", out var properties))
                {
                    var required = schema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(e => e.GetString()).ToHashSet() : [];
                    foreach (var property in properties.EnumerateObject())
                    {
                        if (required.Contains(property.Name) || random.Next(2) == 0)
                        {
                            result[property.Name] = Known(property.Name) ?? Valid(property.Value, depth + 1);
                        }
                    }
                }

                return result;
            case "array":
                var array = new JsonArray();
                for (var i = random.Next(3); i > 0 && depth < 4 && schema.TryGetProperty("items", out var items); i--)
                {
                    array.Add(Valid(items, depth + 1));
                }

                return array;
            case "integer":
                return random.Next(1, 100);
            case "number":
                return random.NextDouble() * 100;
            case "boolean":
                return random.Next(2) == 0;
            default:
                var format = schema.TryGetProperty("format", out var f) ? f.GetString() : null;
                return format switch
                {
                    "uuid" => Guid.NewGuid().ToString(),
                    "date-time" => DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
                    "email" => $"{Word()}@example.test",
                    _ => Word() + Word(),
                };
        }
    }

    private JsonNode? Known(string name)
    {
        if (random.Next(4) == 0)
        {
            return null;
        }

        return name switch
        {
            "referer_secret" => ApiClientExtensions.RefererSecret,
            "password" or "current_password" or "new_password" => random.Next(2) == 0 ? ApiClientExtensions.Password : "another long passphrase " + Word(),
            "username" => random.Next(3) == 0 ? memberName() : "fz_" + Word(),
            "email" => $"{Word()}@example.test",
            "role" => Pick(["member", "admin"]),
            _ => null,
        };
    }

    private string Path(Operation operation, bool garbage)
    {
        var segments = operation.Segments.Select(segment =>
        {
            if (!segment.StartsWith('{'))
            {
                return segment;
            }

            var name = segment.Trim('{', '}');
            var schema = operation.Parameters.FirstOrDefault(p => p.Name == name && p.In == "path").Schema;
            var value = garbage ? Pick(_garbage) is var g && random.Next(4) > 0 ? g : Text(1, 300)
                : name.Contains("username", StringComparison.Ordinal) ? Pick([memberName(), "fz_" + Word()])
                : schema.ValueKind == JsonValueKind.Object ? Valid(schema, 0).ToString() : Word();
            return Uri.EscapeDataString(value);
        });
        return "/" + string.Join('/', segments);
    }

    private string Query(Operation operation, bool garbage)
    {
        var pairs = new List<string>();
        foreach (var parameter in operation.Parameters.Where(p => p.In == "query"))
        {
            if (garbage || random.Next(2) == 0)
            {
                var value = garbage ? (random.Next(3) == 0 ? Text(0, 500) : Pick(_garbage)) : Valid(parameter.Schema, 0).ToString();
                pairs.Add($"{Uri.EscapeDataString(parameter.Name)}={Uri.EscapeDataString(value)}");
            }
        }

        if (garbage)
        {
            pairs.Add(Pick(["a=1&a=2", "%zz=1", "=", "&&&", "limit", "limit=1&limit=2", Uri.EscapeDataString(Text(1, 20)) + "=1"]));
        }

        return pairs.Count == 0 ? string.Empty : "?" + string.Join('&', pairs);
    }

    private string BrokenAuthorization()
    {
        var token = memberToken();
        return Pick([
            "Bearer", "Bearer ", "Bearer  " + token, "bearer " + token + "x", "Basic YWxpY2U6c2VjcmV0", "Bearer v4.local.", "Bearer v4.public." + Text(10, 100),
            "Bearer v3.local." + token[9..], "Bearer " + token[..^1] + (token[^1] == 'A' ? 'B' : 'A'), "Bearer " + token[..(token.Length / 2)],
            "Bearer " + new string('A', 8000), "Bearer " + token + "." + Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"kid\":\"k4.lid.x\"}")),
            "Bearer " + token.Replace('_', '/'), "Bearer v4.local.%%%%", "Token " + token, Text(1, 50),
        ]);
    }

    /// <summary><paramref name="value"/> with one to three runs of bytes above 0x7F put in.</summary>
    private string HighBytes(string value)
    {
        var text = new StringBuilder(value);
        for (var i = random.Next(1, 4); i > 0; i--)
        {
            text.Insert(random.Next(text.Length + 1), Pick(_highBytes));
        }

        return text.ToString();
    }

    private string HeaderGarbage() => Pick(["", "\u0001\u0002", "é😀", new string('x', random.Next(100, 4000)), "*/*;q=abc", ";;;,,,", Text(1, 100)]);

    /// <summary>Random text from a mix of ASCII, control characters (no CR or LF) and other scripts.</summary>
    private string Text(int min, int max)
    {
        var length = random.Next(min, max + 1);
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            text.Append(random.Next(10) switch
            {
                0 => (char)random.Next(1, 9),
                1 => Pick(['é', 'ß', 'Ж', '中', '\u200b', '\u202e', '\ufeff', '\'', '"', '\\', '%', '<', '{', '/']),
                _ => (char)random.Next(0x20, 0x7f),
            });
        }

        return text.ToString();
    }

    private string Word() => string.Concat(Enumerable.Range(0, random.Next(4, 10)).Select(_ => (char)random.Next('a', 'z' + 1)));

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
