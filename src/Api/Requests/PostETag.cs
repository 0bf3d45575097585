using System.Globalization;

namespace Paseto.Auth.Api.Requests;

/// <summary>
/// Entity tags of posts and the <c>If-Match</c> and <c>If-None-Match</c> conditions (RFC 9110
/// §8.8.3, §13.1.1, §13.1.2).
/// A post's tag is strong, <c>"&lt;id&gt;-&lt;version&gt;"</c>: the id keeps one post's tag from
/// ever matching another post, the version changes with every change to the post.
/// The headers stay here, at the edge: a command carries only the versions a change may apply to.
/// </summary>
internal static class PostETag
{
    /// <summary>The error a malformed <c>If-Match</c> is answered with, under <see cref="IfMatchKey"/>.</summary>
    public const string IfMatchMalformed = "If-Match must be * or a list of entity tags, e.g. \"12-3\".";

    public const string IfMatchKey = "if_match";

    public static string Format(int id, int version) =>
        string.Create(CultureInfo.InvariantCulture, $"\"{id}-{version}\"");

    /// <summary>
    /// Reads an <c>If-Match</c> value sent to change post <paramref name="id"/> into the versions
    /// the change may apply to: null for any (no header, or <c>*</c>); otherwise the versions of
    /// the strong tags that name this post, which may be none, so that nothing matches.
    /// False when the value is neither <c>*</c> nor a comma-separated list of entity tags (an
    /// unquoted or unterminated tag, stray text, nothing at all).
    /// </summary>
    public static bool TryReadIfMatch(string? value, int id, out IReadOnlySet<int>? versions)
    {
        versions = null;
        if (value is null)
        {
            return true;
        }

        if (!TryParseList(value, out var any, out var tags))
        {
            return false;
        }

        // Weak tags are well-formed but never match: If-Match compares strongly (§13.1.1).
        if (!any)
        {
            versions = tags.Where(t => !t.Weak).Select(t => VersionOf(t.Opaque, id)).OfType<int>().ToHashSet();
        }

        return true;
    }

    /// <summary>The version a tag names if it is exactly this post's tag of that version, else null.</summary>
    private static int? VersionOf(string tag, int id)
    {
        var prefix = string.Create(CultureInfo.InvariantCulture, $"\"{id}-");
        return tag.StartsWith(prefix, StringComparison.Ordinal)
            && int.TryParse(tag.AsSpan(prefix.Length, tag.Length - prefix.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            && string.Equals(tag, Format(id, version), StringComparison.Ordinal)
                ? version
                : null;
    }

    /// <summary>
    /// Whether an <c>If-None-Match</c> value names the post's current version, so a GET answers
    /// 304 (RFC 9110 §13.1.2): <c>*</c>, or a list with its tag under the weak comparison
    /// (<c>W/"12-3"</c> matches <c>"12-3"</c>). A value that is no such list matches nothing:
    /// the condition only saves a transfer, so ignoring it is always safe, unlike <c>If-Match</c>'s.
    /// </summary>
    public static bool IfNoneMatchNames(string? value, int id, int version)
    {
        if (value is null || !TryParseList(value, out var any, out var tags))
        {
            return false;
        }

        var current = Format(id, version);
        return any || tags.Any(t => string.Equals(t.Opaque, current, StringComparison.Ordinal));
    }

    /// <summary><c>*</c>, or entity tags (<c>[W/]"opaque"</c>) separated by commas and optional whitespace.</summary>
    private static bool TryParseList(string? value, out bool any, out List<(bool Weak, string Opaque)> tags)
    {
        tags = [];
        var text = (value ?? string.Empty).AsSpan().Trim(" \t");
        any = text is "*";
        if (any)
        {
            return true;
        }

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

            tags.Add((weak, text[..(close + 2)].ToString()));
            text = text[(close + 2)..].TrimStart(" \t");
            if (!text.IsEmpty && text[0] != ',')
            {
                return false;
            }
        }

        return tags.Count > 0;
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
