using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Paseto.Auth.Api.ErrorHandling;

namespace Paseto.Auth.Api.RequestBodies;

/// <summary>What is wrong with a body: the JSON name it concerns (<c>body</c> for the whole) and a message for people.</summary>
internal readonly record struct BodyError(string Key, string Message);

/// <summary>
/// One pass over a JSON body before it is bound, which finds what the serializer would report
/// only as an exception without saying why: bytes that are not UTF-8, broken syntax, too deep
/// nesting and lone surrogate escapes. Places are given as a line and a position (in characters)
/// from 1, as an editor shows them. A sound body costs one read and allocates nothing.
/// </summary>
internal static class JsonBodyCheck
{
    public static BodyError? FindError(ReadOnlySpan<byte> json, int maxDepth)
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
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth >= maxDepth)
                {
                    return Body($"The JSON nests deeper than the {maxDepth} levels allowed ({Where(json, reader.TokenStartIndex)}).");
                }

                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped && !IsUnicode(ref reader))
                {
                    return new BodyError(
                        PathAt(json, reader.TokenStartIndex, maxDepth),
                        "The text is not valid Unicode: it holds half of a surrogate pair (a lone \\ud800–\\udfff escape).");
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
                    // The name itself cannot be shown: the error is the object's.
                    break;
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

    /// <summary>An object or array the reader is in, reached from its parent by <see cref="Segment"/>.</summary>
    private sealed class Container(bool isArray, string? segment)
    {
        public bool IsArray { get; } = isArray;

        public string? Segment { get; } = segment;

        public string? Name { get; set; }

        public int Next { get; set; }
    }
}
