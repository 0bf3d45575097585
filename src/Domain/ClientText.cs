namespace Paseto.Auth.Domain;

/// <summary>Text a client sends that rows keep in bounded columns (user agents).</summary>
public static class ClientText
{
    /// <summary>
    /// At most <paramref name="maxLength"/> UTF-16 units, cut between characters: a surrogate
    /// pair is kept whole or dropped whole, since half of one is not text PostgreSQL can store.
    /// </summary>
    public static string? Truncate(string? value, int maxLength)
    {
        if (value is null || value.Length <= maxLength)
        {
            return value;
        }

        return value[..(char.IsHighSurrogate(value[maxLength - 1]) ? maxLength - 1 : maxLength)];
    }
}
