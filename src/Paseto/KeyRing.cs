using System.Text;

namespace Paseto.Auth.Paseto;

/// <summary>
/// The keys of one purpose, newest first. The first key encrypts or signs; every key decrypts or
/// verifies, so a key can be rotated out gradually. Each token's footer is exactly
/// <c>{"kid":"&lt;id&gt;"}</c>, where the id is the key's <c>k4.lid</c> (local) or the public key's
/// <c>k4.pid</c> (public), so a verifier that only has public keys can find the right one.
/// </summary>
public sealed class KeyRing
{
    private static readonly byte[] _footerPrefix = "{\"kid\":\""u8.ToArray();
    private static readonly byte[] _footerSuffix = "\"}"u8.ToArray();

    private readonly Entry[] _entries;

    private KeyRing(PasetoPurpose purpose, Entry[] entries)
    {
        if (entries.Length == 0)
        {
            throw new ArgumentException("A key ring needs at least one key.");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (!ids.Add(entry.Id))
            {
                throw new ArgumentException($"The key {entry.Id} appears more than once.");
            }
        }

        Purpose = purpose;
        _entries = entries;
        KeyIds = Array.AsReadOnly(Array.ConvertAll(entries, e => e.Id));
        PublicKeys = Array.AsReadOnly(purpose == PasetoPurpose.Public
            ? Array.ConvertAll(entries, e => e.PublicKey!)
            : []);
    }

    /// <summary>The purpose of every key in the ring, and so of every token it makes or reads.</summary>
    public PasetoPurpose Purpose { get; }

    /// <summary>False for a public ring whose newest key is only a public key: it verifies but cannot sign.</summary>
    public bool CanIssue => Current.LocalKey is not null || Current.SecretKey is not null;

    /// <summary>The id written into new tokens.</summary>
    public string CurrentKeyId => Current.Id;

    /// <summary>All ids, newest first.</summary>
    public IReadOnlyList<string> KeyIds { get; }

    /// <summary>The verification keys of a public ring, newest first (empty for a local ring): what an issuer publishes for its verifiers.</summary>
    public IReadOnlyList<AsymmetricPublicKey> PublicKeys { get; }

    internal Entry Current => _entries[0];

    /// <summary>A <c>v4.local</c> ring: the first key encrypts, every key decrypts.</summary>
    /// <param name="keys">The keys, newest first.</param>
    /// <returns>The ring.</returns>
    /// <exception cref="ArgumentException">No key, a null key, or the same key twice.</exception>
    public static KeyRing ForLocal(IEnumerable<SymmetricKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return new KeyRing(PasetoPurpose.Local, [.. keys.Select(k => Entry.ForLocal(k ?? throw new ArgumentException("A key is null.", nameof(keys))))]);
    }

    /// <summary>A <c>v4.public</c> ring that signs: the first key signs, every key's public half verifies.</summary>
    /// <param name="keys">The secret keys, newest first.</param>
    /// <returns>The ring.</returns>
    /// <exception cref="ArgumentException">No key, a null key, or the same key twice.</exception>
    public static KeyRing ForPublic(IEnumerable<AsymmetricSecretKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return new KeyRing(PasetoPurpose.Public, [.. keys.Select(k => Entry.ForSecret(k ?? throw new ArgumentException("A key is null.", nameof(keys))))]);
    }

    /// <summary>A ring that only verifies <c>v4.public</c> tokens, for services that hold only the issuer's public keys.</summary>
    /// <param name="keys">The public keys, newest first.</param>
    /// <returns>The ring; <see cref="CanIssue"/> is false.</returns>
    /// <exception cref="ArgumentException">No key, a null key, or the same key twice.</exception>
    public static KeyRing ForVerification(IEnumerable<AsymmetricPublicKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return new KeyRing(PasetoPurpose.Public, [.. keys.Select(k => Entry.ForPublic(k ?? throw new ArgumentException("A key is null.", nameof(keys))))]);
    }

    /// <summary>
    /// Builds a ring from configured PASERK strings, newest first: all <c>k4.local.</c> (local), or
    /// <c>k4.secret.</c> and <c>k4.public.</c> (public; a <c>k4.public.</c> entry only verifies).
    /// </summary>
    /// <param name="paserks">The PASERK strings, newest first.</param>
    /// <returns>The ring, of the purpose the keys have.</returns>
    /// <exception cref="FormatException">No entry, an entry is not a valid k4 key PASERK, or the purposes are mixed. Messages give the entry's index, never its value.</exception>
    /// <exception cref="ArgumentException">The same key twice (a <c>k4.secret</c> and its own <c>k4.public</c> count as one).</exception>
    public static KeyRing FromPaserks(IEnumerable<string> paserks)
    {
        ArgumentNullException.ThrowIfNull(paserks);
        var entries = new List<Entry>();
        PasetoPurpose? purpose = null;
        var index = 0;
        foreach (var paserk in paserks)
        {
            Entry entry;
            PasetoPurpose entryPurpose;
            if (SymmetricKey.TryParsePaserk(paserk, out var local))
            {
                (entry, entryPurpose) = (Entry.ForLocal(local), PasetoPurpose.Local);
            }
            else if (AsymmetricSecretKey.TryParsePaserk(paserk, out var secret))
            {
                (entry, entryPurpose) = (Entry.ForSecret(secret), PasetoPurpose.Public);
            }
            else if (AsymmetricPublicKey.TryParsePaserk(paserk, out var verifying))
            {
                (entry, entryPurpose) = (Entry.ForPublic(verifying), PasetoPurpose.Public);
            }
            else
            {
                throw new FormatException($"Key {index} is not a valid k4.local, k4.secret or k4.public PASERK.");
            }

            if (purpose is not null && purpose != entryPurpose)
            {
                throw new FormatException($"Key {index} is for another purpose than key 0; a key ring holds one purpose.");
            }

            purpose = entryPurpose;
            entries.Add(entry);
            index++;
        }

        if (purpose is null)
        {
            throw new FormatException("No key was given.");
        }

        return new KeyRing(purpose.Value, [.. entries]);
    }

    /// <summary>
    /// Finds the key a footer names. The footer must be exactly <c>{"kid":"…"}</c>: a key ring writes
    /// nothing else, so nothing else is read (no JSON parser runs on unauthenticated input).
    /// </summary>
    internal PasetoTokenError TryFindKey(ReadOnlySpan<byte> footer, out Entry? entry)
    {
        entry = null;
        if (footer.Length > PasetoLimits.MaxKeyRingFooterLength
            || !footer.StartsWith(_footerPrefix) || !footer.EndsWith(_footerSuffix)
            || footer.Length < _footerPrefix.Length + _footerSuffix.Length)
        {
            return PasetoTokenError.Malformed;
        }

        var kid = footer[_footerPrefix.Length..^_footerSuffix.Length];
        foreach (var candidate in _entries)
        {
            if (kid.SequenceEqual(candidate.IdUtf8))
            {
                entry = candidate;
                return PasetoTokenError.None;
            }
        }

        return PasetoTokenError.UnknownKey;
    }

    internal sealed class Entry
    {
        private Entry(string id, SymmetricKey? localKey, AsymmetricSecretKey? secretKey, AsymmetricPublicKey? publicKey)
        {
            Id = id;
            IdUtf8 = Encoding.ASCII.GetBytes(id);
            Footer = [.. _footerPrefix, .. IdUtf8, .. _footerSuffix];
            LocalKey = localKey;
            SecretKey = secretKey;
            PublicKey = publicKey;
        }

        public string Id { get; }

        public byte[] IdUtf8 { get; }

        /// <summary>The exact footer of tokens made with this key.</summary>
        public byte[] Footer { get; }

        public SymmetricKey? LocalKey { get; }

        public AsymmetricSecretKey? SecretKey { get; }

        public AsymmetricPublicKey? PublicKey { get; }

        public static Entry ForLocal(SymmetricKey key) => new(key.Id, key, null, null);

        public static Entry ForSecret(AsymmetricSecretKey key) => new(key.PublicKey.Id, null, key, key.PublicKey);

        public static Entry ForPublic(AsymmetricPublicKey key) => new(key.Id, null, null, key);
    }
}
