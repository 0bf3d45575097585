namespace Paseto.Auth.Paseto;

/// <summary>
/// Checks the claims of a token whose MAC or signature has already verified: <c>iss</c>,
/// <c>aud</c>, <c>iat</c>, <c>nbf</c>, <c>exp</c> and whatever <see cref="PasetoClaims.HasRequiredClaims"/>
/// asks for present; <c>iss</c> and <c>aud</c> exact; and <c>nbf &lt;= now + skew</c>,
/// <c>iat &lt;= now + skew</c>, <c>now - skew &lt; exp</c>.
/// </summary>
internal sealed class PasetoClaimsValidator
{
    private readonly string _issuer;
    private readonly string _audience;
    private readonly TimeSpan _clockSkew;
    private readonly TimeProvider _timeProvider;

    /// <exception cref="ArgumentException">Issuer or audience is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The clock skew is negative or above <see cref="PasetoValidationOptions.MaxClockSkew"/>.</exception>
    public PasetoClaimsValidator(PasetoValidationOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentException.ThrowIfNullOrEmpty(options.Issuer, nameof(options));
        ArgumentException.ThrowIfNullOrEmpty(options.Audience, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ClockSkew, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.ClockSkew, PasetoValidationOptions.MaxClockSkew, nameof(options));
        _issuer = options.Issuer;
        _audience = options.Audience;
        _clockSkew = options.ClockSkew;
        _timeProvider = timeProvider;
    }

    public PasetoTokenError Validate(PasetoClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        if (claims.Issuer is null || claims.Audience is null
            || claims.IssuedAt is not { } issuedAt || claims.NotBefore is not { } notBefore
            || claims.Expiration is not { } expiration
            || !claims.HasRequiredClaimsForValidation())
        {
            return PasetoTokenError.MissingClaims;
        }

        if (!string.Equals(claims.Issuer, _issuer, StringComparison.Ordinal))
        {
            return PasetoTokenError.WrongIssuer;
        }

        if (!string.Equals(claims.Audience, _audience, StringComparison.Ordinal))
        {
            return PasetoTokenError.WrongAudience;
        }

        var now = _timeProvider.GetUtcNow();
        if (notBefore > now + _clockSkew || issuedAt > now + _clockSkew)
        {
            return PasetoTokenError.NotYetValid;
        }

        if (now - _clockSkew >= expiration)
        {
            return PasetoTokenError.Expired;
        }

        return PasetoTokenError.None;
    }
}
