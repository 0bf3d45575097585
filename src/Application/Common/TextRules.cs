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
}
