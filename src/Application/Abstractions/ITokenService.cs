namespace Paseto.Auth.Application.Abstractions;

/// <summary>Who an access token speaks for.</summary>
public sealed record AccessTokenSubject(int UserId, string Username, string Role, Guid SessionId);

public sealed record IssuedAccessToken(string Token, DateTimeOffset ExpiresAt);

/// <summary>A valid access token with the claims introspection reports besides its subject.</summary>
public sealed record InspectedAccessToken(
    AccessTokenSubject Subject, string Issuer, string Audience, string TokenId, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt);

/// <summary>What reading an access token found.</summary>
public enum AccessTokenStatus
{
    /// <summary>Genuine and current; the subject is set.</summary>
    Valid,

    /// <summary>
    /// Not a token to accept, for any reason but expiry: malformed, another version or purpose, an
    /// unknown key, a MAC or signature that does not verify, another issuer or audience, not yet
    /// valid. One value for all, so that a forger learns nothing about which check failed.
    /// </summary>
    Invalid,

    /// <summary>
    /// Genuine (its MAC or signature verified, its issuer and audience are ours) but past its
    /// <c>exp</c>. Only a token this service issued can be told to have expired.
    /// </summary>
    Expired,
}

/// <summary>
/// Issues and reads PASETO v4 access tokens with the configured purpose and key ring. Reading
/// checks the format, the key, the MAC or signature and the claims; whether the session is
/// still alive is the <see cref="ISessionAuthenticator"/>'s question.
/// </summary>
public interface ITokenService
{
    IssuedAccessToken IssueAccessToken(AccessTokenSubject subject, DateTimeOffset now);

    /// <summary>Reads and checks a token; <paramref name="subject"/> is set only when it is <see cref="AccessTokenStatus.Valid"/>.</summary>
    AccessTokenStatus ReadAccessToken(string token, out AccessTokenSubject? subject);

    /// <summary>
    /// Reads and checks a token exactly as <see cref="ReadAccessToken"/> does, and also returns the
    /// registered claims, for token introspection; off the bearer hot path.
    /// </summary>
    AccessTokenStatus InspectAccessToken(string token, out InspectedAccessToken? inspected);

    /// <summary>The keys others may verify our tokens with; empty for purpose <c>local</c>.</summary>
    IReadOnlyList<PublicKeyInfo> PublicKeys { get; }
}

/// <param name="Kid">The PASERK id (<c>k4.pid.…</c>) a token's footer names.</param>
/// <param name="Paserk">The key itself (<c>k4.public.…</c>).</param>
/// <param name="Status"><c>active</c> for the key that signs new tokens, <c>verify-only</c> for older ones.</param>
public sealed record PublicKeyInfo(string Kid, string Paserk, string Status);
