namespace Paseto.Auth.Infrastructure.Security;

/// <summary>The cost parameters of Argon2id (version 0x13): memory in KiB, passes, lanes.</summary>
/// <remarks>
/// The bounds apply to what we configure and to what we are willing to recompute from a stored hash.
/// A tampered or corrupt row must not be able to make one login allocate many gigabytes or spin for
/// minutes, so anything outside them is refused rather than computed.
/// </remarks>
internal readonly record struct Argon2idParameters(int MemoryKiB, int Iterations, int Parallelism)
{
    /// <summary>1 GiB; OWASP's recommendations stay below 50 MiB.</summary>
    public const int MaxMemoryKiB = 1024 * 1024;

    public const int MaxIterations = 16;

    public const int MaxParallelism = 16;

    /// <summary>Argon2 needs at least 8 KiB per lane.</summary>
    public const int MinMemoryKiBPerLane = 8;

    public bool IsWithinBounds =>
        Parallelism is >= 1 and <= MaxParallelism
        && Iterations is >= 1 and <= MaxIterations
        && MemoryKiB >= MinMemoryKiBPerLane * Parallelism
        && MemoryKiB <= MaxMemoryKiB;
}
