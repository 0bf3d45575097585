namespace Paseto.Auth.Paseto;

/// <summary>The bounds a token must keep to be read at all.</summary>
public static class PasetoLimits
{
    /// <summary>
    /// Tokens longer than this many characters are refused before they are decoded, and claims that
    /// would make a longer token are not encoded. A token with a dozen short claims is a few hundred
    /// characters; the cap bounds the work and memory an attacker can cause.
    /// </summary>
    public const int MaxTokenLength = 8 * 1024;

    /// <summary>Largest footer, in bytes, that a key ring reads when looking for the key id.</summary>
    public const int MaxKeyRingFooterLength = 256;

    /// <summary>Buffers up to this size live on the stack; larger ones are rented from the shared pool.</summary>
    internal const int StackBufferLength = 1024;
}
