using System.Buffers;
using System.Text;

namespace Paseto.Auth.Application.Common;

public static class TextRules
{
    /// <summary>True when the text is well-formed UTF-16 without control characters.</summary>
    public static bool IsPrintable(ReadOnlySpan<char> text) => IsWellFormed(text, allowControl: false);

    /// <summary>True when the text is well-formed UTF-16 (no unpaired surrogates): PostgreSQL stores only valid UTF-8.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> text, bool allowControl = true)
    {
        while (!text.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(text, out var rune, out var consumed) != OperationStatus.Done
                || (!allowControl && Rune.IsControl(rune)))
            {
                return false;
            }

            text = text[consumed..];
        }

        return true;
    }

    /// <summary>
    /// True when the text is well-formed UTF-16 whose only control characters are tab, line feed
    /// and carriage return: text that may run over several lines.
    /// </summary>
    public static bool IsMultiline(ReadOnlySpan<char> text)
    {
        while (!text.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(text, out var rune, out var consumed) != OperationStatus.Done
                || (Rune.IsControl(rune) && rune.Value is not ('\t' or '\n' or '\r')))
            {
                return false;
            }

            text = text[consumed..];
        }

        return true;
    }

    /// <summary>
    /// The number of Unicode code points, which is how PostgreSQL counts the length of text:
    /// an emoji outside the Basic Multilingual Plane is one character, not two UTF-16 units.
    /// </summary>
    public static int CountCharacters(ReadOnlySpan<char> text)
    {
        var count = 0;
        foreach (var c in text)
        {
            if (!char.IsLowSurrogate(c))
            {
                count++;
            }
        }

        return count;
    }
}
