using System.Security.Claims;
using Paseto.Auth.Contracts;
using Paseto.Auth.Paseto;

namespace Paseto.Auth.Verifier;

/// <summary>The outcome of checking one token: the caller, or why not.</summary>
internal sealed record TokenCheck(ClaimsPrincipal? Principal, PasetoAuthenticationException? Failure, bool Introspected);

/// <summary>
/// Checks a token as the service does (DESIGN §4), offline where it can: the header, the key,
/// the signature, <c>iss</c>/<c>aud</c> exactly, <c>iat</c>/<c>nbf</c>/<c>exp</c> with the same
/// 30-second skew, the same required claims; then, with introspection on, asks the service
/// whether the session is alive. A <c>v4.local</c> token is only the service's to read.
/// </summary>
internal sealed class PasetoTokenValidator(PasetoKeySet keys, IntrospectionClient? introspection, string issuer, string audience, string scheme)
{
    private const string LocalHeader = "v4.local.";

    public async Task<TokenCheck> CheckAsync(string token, CancellationToken cancellationToken)
    {
        if (token.StartsWith(LocalHeader, StringComparison.Ordinal))
        {
            return introspection is null
                ? Refuse(PasetoAuthFailure.LocalTokenWithoutIntrospection, "A v4.local token can only be checked by introspection, which is off.")
                : await IntrospectAsync(token, null, cancellationToken);
        }

        var format = await keys.GetAsync();
        AccessTokenClaims? claims = null;
        var error = PasetoTokenError.UnknownKey;
        format?.TryDecode(token, out claims, out error);
        if (claims is null && error == PasetoTokenError.UnknownKey)
        {
            // A rotation on the service looks like this; the key set fetches at most once an interval.
            var fresh = await keys.RefetchForUnknownKeyAsync();
            if (fresh is null)
            {
                return Refuse(PasetoAuthFailure.ServiceUnavailable, "No verification keys are held: the service serves none, or could not be reached.");
            }

            if (!ReferenceEquals(fresh, format))
            {
                fresh.TryDecode(token, out claims, out error);
            }
        }

        if (claims is null)
        {
            return error == PasetoTokenError.Expired
                ? Refuse(PasetoAuthFailure.Expired, "The token has expired.", error)
                : Refuse(PasetoAuthFailure.Invalid, $"The token was refused: {error}.", error);
        }

        if (introspection is not null)
        {
            return await IntrospectAsync(token, claims, cancellationToken);
        }

        return new TokenCheck(
            Principal(claims.Issuer!, claims.Subject!, claims.SessionId!, claims.TokenId!, claims.Username!, claims.Role!),
            null,
            Introspected: false);
    }

    private async Task<TokenCheck> IntrospectAsync(string token, AccessTokenClaims? verified, CancellationToken cancellationToken)
    {
        var result = await introspection!.IntrospectAsync(token, cancellationToken);
        if (result.Outcome == IntrospectionOutcome.Unavailable)
        {
            return Refuse(PasetoAuthFailure.ServiceUnavailable, $"The token could not be introspected: {result.Reason}.");
        }

        // The answer must speak of a token for this audience, from this issuer, and (for a token
        // verified offline) of the same token, with every claim the principal is made of.
        if (result is not { Outcome: IntrospectionOutcome.Active, Answer: { } a }
            || a.Issuer != issuer || a.Audience != audience
            || string.IsNullOrEmpty(a.Subject) || string.IsNullOrEmpty(a.SessionId) || string.IsNullOrEmpty(a.TokenId)
            || string.IsNullOrEmpty(a.Username) || string.IsNullOrEmpty(a.Role)
            || (verified is not null && (a.TokenId != verified.TokenId || a.SessionId != verified.SessionId)))
        {
            return Refuse(PasetoAuthFailure.Inactive, "The service's introspection says the token is not active.");
        }

        // The role and username come from the service's answer: as the database has them now.
        return new TokenCheck(Principal(a.Issuer!, a.Subject, a.SessionId, a.TokenId, a.Username, a.Role), null, Introspected: true);
    }

    private ClaimsPrincipal Principal(string tokenIssuer, string subject, string sessionId, string tokenId, string username, string role)
    {
        var identity = new ClaimsIdentity(
            [
                new Claim("sub", subject, ClaimValueTypes.String, tokenIssuer),
                new Claim(ClaimTypes.NameIdentifier, subject, ClaimValueTypes.String, tokenIssuer),
                new Claim("sid", sessionId, ClaimValueTypes.String, tokenIssuer),
                new Claim("jti", tokenId, ClaimValueTypes.String, tokenIssuer),
                new Claim(ClaimTypes.Name, username, ClaimValueTypes.String, tokenIssuer),
                new Claim(ClaimTypes.Role, role, ClaimValueTypes.String, tokenIssuer),
            ],
            scheme,
            ClaimTypes.Name,
            ClaimTypes.Role);
        return new ClaimsPrincipal(identity);
    }

    private static TokenCheck Refuse(PasetoAuthFailure failure, string message, PasetoTokenError error = PasetoTokenError.None) =>
        new(null, new PasetoAuthenticationException(failure, error, message), Introspected: false);
}
