using System.Globalization;
using Paseto.Auth.Domain.Posts;

namespace Paseto.Auth.Application.Posts;

/// <summary>
/// Entity tags of posts and the <c>If-Match</c> condition (RFC 9110 §8.8.3, §13.1.1).
/// A post's tag is strong, <c>"&lt;id&gt;-&lt;version&gt;"</c>: the id keeps one post's tag from
/// ever matching another post, the version changes with every change to the post.
/// </summary>
public static class PostETag
{
    public static string Format(int id, int version) =>
        string.Create(CultureInfo.InvariantCulture, $"\"{id}-{version}\"");

    /// <summary>
    /// Parses an <c>If-Match</c> value: <c>*</c>, or a comma-separated list of entity tags.
    /// False when it is neither (an unquoted or unterminated tag, stray text, nothing at all).
    /// </summary>
    public static bool TryParseIfMatch(string? value, out IfMatch condition)
    {
        condition = IfMatch.Any;
        var text = (value ?? string.Empty).AsSpan().Trim(" \t");
        if (text is "*")
        {
            return true;
        }

        var tags = new List<string>();
        var parsed = 0;
        while (true)
        {
            text = text.TrimStart(" \t,");
            if (text.IsEmpty)
            {
                break;
            }

            var weak = text.StartsWith("W/", StringComparison.Ordinal);
            if (weak)
            {
                text = text[2..];
            }

            if (text.IsEmpty || text[0] != '"')
            {
                return false;
            }

            var close = text[1..].IndexOf('"');
            if (close < 0 || !IsOpaque(text.Slice(1, close)))
            {
                return false;
            }

            // Weak tags are well-formed but never match: If-Match compares strongly.
            parsed++;
            if (!weak)
            {
                tags.Add(text[..(close + 2)].ToString());
            }

            text = text[(close + 2)..].TrimStart(" \t");
            if (!text.IsEmpty && text[0] != ',')
            {
                return false;
            }
        }

        if (parsed == 0)
        {
            return false;
        }

        condition = new IfMatch(tags);
        return true;
    }

    /// <summary>etagc = %x21 / %x23-7E / obs-text.</summary>
    private static bool IsOpaque(ReadOnlySpan<char> tag)
    {
        foreach (var c in tag)
        {
            if (c is not ('\x21' or (>= '\x23' and <= '\x7E') or (>= '\x80' and <= '\xFF')))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>An <c>If-Match</c> condition: <see cref="Any"/> (<c>*</c>) or a list of strong tags.</summary>
public sealed class IfMatch
{
    private readonly IReadOnlyList<string>? _tags;

    public IfMatch(IReadOnlyList<string> tags) => _tags = tags;

    private IfMatch()
    {
    }

    /// <summary><c>If-Match: *</c>: true for any post that exists.</summary>
    public static IfMatch Any { get; } = new();

    public bool IsAny => _tags is null;

    public bool Matches(Post post) =>
        _tags is null || _tags.Contains(PostETag.Format(post.Id, post.Version), StringComparer.Ordinal);
}
