using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;
using Paseto.Auth.Api.ErrorHandling;

namespace Paseto.Auth.Api.RequestBodies;

/// <summary>What is wrong with a body: the JSON name it concerns (<c>body</c> for the whole) and a message for people.</summary>
internal readonly record struct BodyError(string Key, string Message);

/// <summary>
/// One pass over a JSON body before it is bound, which finds what the serializer would report
/// only as an exception without saying why: bytes that are not UTF-8, broken syntax, too deep
/// nesting, lone surrogate escapes and members the bound type does not have. Places are given as
/// a line and a position (in characters) from 1, as an editor shows them. A sound flat body costs
/// one read and allocates nothing.
/// </summary>
internal static class JsonBodyCheck
{
    public static BodyError? FindError(ReadOnlySpan<byte> json, JsonTypeInfo type, int maxDepth)
    {
        if (json.IsEmpty)
        {
            return Body("The request body is missing or is not valid JSON.");
        }

        if (!Utf8.IsValid(json))
        {
            return Body($"The body is not valid UTF-8 ({Where(json, FirstInvalidByte(json))}).");
        }

        // One level more than allowed, so that the check below, not the reader, sees the limit passed.
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = maxDepth + 1 });
        var members = new MemberCheck(type);
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray when reader.CurrentDepth >= maxDepth:
                        return Body($"The JSON nests deeper than the {maxDepth} levels allowed ({Where(json, reader.TokenStartIndex)}).");
                    case JsonTokenType.String or JsonTokenType.PropertyName when reader.ValueIsEscaped && !IsUnicode(ref reader):
                        return new BodyError(
                            PathAt(json, reader.TokenStartIndex, maxDepth),
                            "The text is not valid Unicode: it holds half of a surrogate pair (a lone \\ud800–\\udfff escape).");
                    case JsonTokenType.PropertyName when !members.IsKnown(ref reader):
                        return new BodyError(PathAt(json, reader.TokenStartIndex, maxDepth), "This field is not known.");
                    default:
                        members.Follow(ref reader, maxDepth);
                        break;
                }
            }
        }
        catch (JsonException exception)
        {
            return Body($"The body is not valid JSON ({Where(json, Offset(json, exception.LineNumber ?? 0, exception.BytePositionInLine ?? 0))}).");
        }

        return null;
    }

    /// <summary>The key for a serializer path: <c>$.items[0].name</c> → <c>items[0].name</c>, <c>$</c> → <c>body</c>.</summary>
    public static string KeyOf(string? path)
    {
        var key = (path ?? string.Empty).TrimStart('$').TrimStart('.');
        return key.Length == 0 ? ValidationErrors.BodyKey : key;
    }

    private static BodyError Body(string message) => new(ValidationErrors.BodyKey, message);

    /// <summary>Unescaping fails only on a lone surrogate: the reader has checked the escapes' syntax.</summary>
    private static bool IsUnicode(ref Utf8JsonReader reader)
    {
        try
        {
            reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static int FirstInvalidByte(ReadOnlySpan<byte> text)
    {
        var offset = 0;
        while (Rune.DecodeFromUtf8(text[offset..], out _, out var consumed) == System.Buffers.OperationStatus.Done)
        {
            offset += consumed;
        }

        return offset;
    }

    /// <summary>The byte offset of a reader's (line, byte in line), both counted from 0.</summary>
    private static long Offset(ReadOnlySpan<byte> text, long line, long byteInLine)
    {
        var start = 0;
        for (var i = 0L; i < line; i++)
        {
            var next = text[start..].IndexOf((byte)'\n');
            if (next < 0)
            {
                break;
            }

            start += next + 1;
        }

        return Math.Min(start + byteInLine, text.Length);
    }

    /// <summary>"line L, position P", both from 1; the position counts characters, not bytes (the text before it is valid UTF-8).</summary>
    private static string Where(ReadOnlySpan<byte> text, long offset)
    {
        var before = text[..(int)offset];
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        var position = 1;
        foreach (var b in before[lineStart..])
        {
            // Every byte but a continuation byte (10xxxxxx) starts a character.
            if ((b & 0xC0) != 0x80)
            {
                position++;
            }
        }

        return $"line {before.Count((byte)'\n') + 1}, position {position}";
    }

    /// <summary>The JSON path (<c>items[0].name</c>) of the token at <paramref name="offset"/>; read again only when reporting.</summary>
    private static string PathAt(ReadOnlySpan<byte> json, long offset, int maxDepth)
    {
        var containers = new List<Container>();
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = maxDepth + 1 });
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
            {
                containers.RemoveAt(containers.Count - 1);
                continue;
            }

            if (reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.TokenStartIndex == offset)
                {
                    // A name that is not Unicode cannot be shown: the error is its object's.
                    return IsUnicode(ref reader) ? Join(containers, reader.GetString()) : Join(containers, null);
                }

                containers[^1].Name = reader.GetString();
                continue;
            }

            var segment = containers.Count == 0 ? null
                : containers[^1].IsArray ? $"[{containers[^1].Next++}]"
                : containers[^1].Name;
            if (reader.TokenStartIndex == offset)
            {
                return Join(containers, segment);
            }

            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                containers.Add(new Container(reader.TokenType == JsonTokenType.StartArray, segment));
            }
        }

        return Join(containers, null);
    }

    private static string Join(List<Container> containers, string? last)
    {
        var path = new StringBuilder();
        foreach (var segment in containers.Select(c => c.Segment).Append(last))
        {
            if (segment is null)
            {
                continue;
            }

            if (path.Length > 0 && segment[0] != '[')
            {
                path.Append('.');
            }

            path.Append(segment);
        }

        return path.Length == 0 ? ValidationErrors.BodyKey : path.ToString();
    }

    /// <summary>
    /// Follows the reader through the body with the .NET type each value binds to, so that a member
    /// no type has is found (<c>additionalProperties: false</c> in the OpenAPI document). Values of
    /// types that take any member (dictionaries, <see cref="JsonElement"/>) are not looked into.
    /// Flat bodies, which are all of ours today, allocate nothing.
    /// </summary>
    private ref struct MemberCheck(JsonTypeInfo root)
    {
        private Type? _next = root.Type;
        private JsonTypeInfo? _container;
        private JsonTypeInfo?[]? _outer;

        /// <summary>At a member name: whether the object's type has it. Sets the type of the value that follows.</summary>
        public bool IsKnown(ref Utf8JsonReader reader)
        {
            _next = null;
            if (_container is not { Kind: JsonTypeInfoKind.Object } type)
            {
                return true;
            }

            var property = Find(type, ref reader);
            if (property is null)
            {
                return type.Properties.Any(p => p.IsExtensionData);
            }

            _next = property.PropertyType;
            return true;
        }

        /// <summary>At any other token: enters and leaves objects and arrays with their types.</summary>
        public void Follow(ref Utf8JsonReader reader, int maxDepth)
        {
            var depth = reader.CurrentDepth;
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    var type = NextValueType() is { } next ? root.Options.GetTypeInfo(next) : null;
                    if (depth > 0)
                    {
                        (_outer ??= new JsonTypeInfo?[maxDepth])[depth - 1] = _container;
                    }

                    _container = type?.Kind == (reader.TokenType == JsonTokenType.StartObject ? JsonTypeInfoKind.Object : JsonTypeInfoKind.Enumerable) ? type : null;
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    _container = depth > 0 ? _outer![depth - 1] : null;
                    break;
            }
        }

        /// <summary>The type of the value at the reader: an array's element type, or the type of the member just named.</summary>
        private readonly Type? NextValueType() => _container is { Kind: JsonTypeInfoKind.Enumerable } array ? array.ElementType : _next;

        /// <summary>
        /// The member the name at the reader binds to, as the serializer matches names: ordinal, or
        /// ignoring case when the options say so. ASCII names, which all of ours are, are compared in place.
        /// </summary>
        private static JsonPropertyInfo? Find(JsonTypeInfo type, ref Utf8JsonReader reader)
        {
            var ignoreCase = type.Options.PropertyNameCaseInsensitive;
            var properties = type.Properties;
            if (!reader.ValueIsEscaped && Ascii.IsValid(reader.ValueSpan))
            {
                for (var i = 0; i < properties.Count; i++)
                {
                    if (IsBindable(properties[i])
                        && (ignoreCase ? Ascii.EqualsIgnoreCase(reader.ValueSpan, properties[i].Name) : reader.ValueTextEquals(properties[i].Name)))
                    {
                        return properties[i];
                    }
                }

                return null;
            }

            var name = reader.GetString();
            return properties.FirstOrDefault(p => IsBindable(p) && string.Equals(p.Name, name, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal));
        }

        /// <summary>A member a body can set; one marked <c>[JsonIgnore]</c> (the client's address, say) has neither getter nor setter.</summary>
        private static bool IsBindable(JsonPropertyInfo property) => property.Set is not null || property.AssociatedParameter is not null;
    }

    /// <summary>An object or array the reader is in, reached from its parent by <see cref="Segment"/>.</summary>
    private sealed class Container(bool isArray, string? segment)
    {
        public bool IsArray { get; } = isArray;

        public string? Segment { get; } = segment;

        public string? Name { get; set; }

        public int Next { get; set; }
    }
}
