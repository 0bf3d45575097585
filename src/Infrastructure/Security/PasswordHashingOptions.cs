namespace Paseto.Auth.Infrastructure.Security;

/// <summary>Argon2id settings, bound from <c>Auth:Passwords</c>.</summary>
/// <remarks>
/// Changing a cost parameter is safe at any time: stored hashes carry their own parameters, still
/// verify, and are re-hashed with the new ones at the owner's next successful login.
/// </remarks>
public sealed class PasswordHashingOptions
{
    public const string SectionName = "Auth:Passwords";

    /// <summary>Memory per hash in KiB (<c>m</c>); the default 19456 (19 MiB) is OWASP's minimum with t=2.</summary>
    public int MemoryKiB { get; set; } = 19456;

    /// <summary>Passes over the memory (<c>t</c>).</summary>
    public int Iterations { get; set; } = 2;

    /// <summary>Lanes (<c>p</c>); the libsodium engine computes exactly one.</summary>
    public int Parallelism { get; set; } = 1;

    /// <summary>
    /// PASERK <c>k4.local</c> peppers, newest first: new hashes use the first; hashes made with an
    /// older one (or none) verify and are re-hashed with the newest at the next login.
    /// </summary>
    public string[] Peppers { get; set; } = [];

    /// <summary>
    /// A file of passwords nobody may choose, besides the bundled common ones: one password, or
    /// one SHA-1 in hex (breach-corpus style, <c>:count</c> allowed), per line.
    /// </summary>
    public string? BlocklistFile { get; set; }

    /// <summary>The memory the operator's list may take at most (its Bloom filter).</summary>
    public long BlocklistMaxBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Which implementation computes hashes; all of them write and read the same strings.</summary>
    public PasswordHashingEngine Engine { get; set; } = PasswordHashingEngine.Auto;
}

/// <summary>Implementations of Argon2id; configured as <c>auto</c>, <c>libsodium</c>, <c>managed</c> or <c>simd</c>.</summary>
public enum PasswordHashingEngine
{
    /// <summary>Native libsodium: about 3.4 times faster and no managed allocation per hash; p=1 only.</summary>
    Libsodium,

    /// <summary>Managed code (Konscious), for platforms without the native library; any p.</summary>
    Managed,

    /// <summary>
    /// Our own managed Argon2id (AVX2, or scalar code without it) over memory each hashing slot
    /// keeps and wipes after every hash, instead of memory mapped afresh per hash; any p.
    /// </summary>
    Simd,

    /// <summary>
    /// The default: <see cref="Simd"/> where the CPU has AVX2 (or for more than one lane), otherwise
    /// <see cref="Libsodium"/>, because the scalar path of our engine is slower than libsodium.
    /// </summary>
    Auto,
}
