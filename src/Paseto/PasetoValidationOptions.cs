namespace Paseto.Auth.Paseto;

/// <summary>What a token must say about itself to be accepted.</summary>
public sealed class PasetoValidationOptions
{
    /// <summary>The largest clock skew that may be allowed between issuer and verifier.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>The exact <c>iss</c> required (ordinal comparison).</summary>
    public required string Issuer { get; init; }

    /// <summary>The exact <c>aud</c> required (ordinal comparison).</summary>
    public required string Audience { get; init; }

    /// <summary>Tolerance for <c>nbf</c>, <c>iat</c> and <c>exp</c>; between zero and <see cref="MaxClockSkew"/>.</summary>
    public TimeSpan ClockSkew { get; init; } = MaxClockSkew;
}
