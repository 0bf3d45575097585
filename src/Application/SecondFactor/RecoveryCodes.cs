using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Paseto.Auth.Application.SecondFactor;

/// <summary>
/// Recovery codes: 16 characters of Crockford's Base32 (80 random bits) shown as four groups,
/// <c>xxxx-xxxx-xxxx-xxxx</c>. Only a SHA-256 of the normalised code, prefixed by the user's id,
/// is stored. A fast hash is enough here, as for the refresh tokens: with 80 random bits there
/// is no dictionary to try, and searching 2^80 candidates per code is out of reach, so a slow
/// password hash would only slow the login down. The user id in the input keeps two accounts'
/// identical codes (impossible in practice) from sharing a hash.
/// </summary>
public static class RecoveryCodes
{
    /// <summary>How many codes a set has.</summary>
    public const int SetSize = 10;

    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
    private const int Length = 16;
    private const int GroupLength = 4;

    /// <summary>The longest text a person could send for one code (groups, dashes, spaces).</summary>
    public const int PresentedMaxLength = 64;

    /// <summary>A new set: the codes to show once, and the hashes to store.</summary>
    public static (IReadOnlyList<string> Codes, IReadOnlyList<byte[]> Hashes) Create(int userId)
    {
        var codes = new string[SetSize];
        var hashes = new byte[SetSize][];
        Span<byte> random = stackalloc byte[10];
        for (var i = 0; i < SetSize; i++)
        {
            RandomNumberGenerator.Fill(random);
            var plain = Encode(random);
            codes[i] = string.Join('-', Enumerable.Range(0, Length / GroupLength).Select(g => plain.Substring(g * GroupLength, GroupLength)));
            hashes[i] = Hash(userId, plain);
        }

        return (codes, hashes);
    }

    /// <summary>The hash of a presented code, or null when it cannot be one (wrong length or characters).</summary>
    public static byte[]? TryHash(int userId, string presented)
    {
        var normalized = new StringBuilder(Length);
        foreach (var c in presented)
        {
            if (c is '-' or ' ')
            {
                continue;
            }

            // Crockford's Base32 reads the look-alikes as the digits they resemble.
            var d = char.ToLowerInvariant(c) switch
            {
                'o' => '0',
                'i' or 'l' => '1',
                var other => other,
            };
            if (!Alphabet.Contains(d, StringComparison.Ordinal) || normalized.Length == Length)
            {
                return null;
            }

            normalized.Append(d);
        }

        return normalized.Length == Length ? Hash(userId, normalized.ToString()) : null;
    }

    private static string Encode(ReadOnlySpan<byte> bytes)
    {
        // 80 bits, 5 at a time, most significant first.
        var value = new System.Numerics.BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        var chars = new char[Length];
        for (var i = Length - 1; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }

        return new string(chars);
    }

    private static byte[] Hash(int userId, string normalized) =>
        SHA256.HashData(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"recovery:{userId}:{normalized}")));
}
