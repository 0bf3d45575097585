using System.Globalization;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Contracts;
using Paseto.Auth.Paseto;

namespace Paseto.Auth.Infrastructure.Tokens;

/// <summary>
/// Access tokens as DESIGN §4 describes them, over our PASETO v4 format. Tokens that verified are
/// remembered until their <c>exp</c> (<see cref="VerifiedTokenCache"/>) when a cache is given.
/// </summary>
internal sealed class PasetoTokenService(
    PasetoTokenFormat<AccessTokenClaims> format,
    PasetoOptions options,
    Application.AuthOptions authOptions,
    VerifiedTokenCache? verified = null) : ITokenService
{
    public IReadOnlyList<PublicKeyInfo> PublicKeys { get; } = [.. format.Keys.PublicKeys.Select((key, index) =>
        new PublicKeyInfo(key.Id, key.ToPaserk(), index == 0 ? "active" : "verify-only"))];

    public IssuedAccessToken IssueAccessToken(AccessTokenSubject subject, DateTimeOffset now)
    {
        var expiresAt = now + authOptions.AccessTokenLifetime;
        var token = format.Encode(new AccessTokenClaims
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            Subject = subject.UserId.ToString(CultureInfo.InvariantCulture),
            SessionId = subject.SessionId.ToString(),
            TokenId = Guid.CreateVersion7(now).ToString(),
            IssuedAt = now,
            NotBefore = now,
            Expiration = expiresAt,
            Role = subject.Role,
            Username = subject.Username,
        });
        return new IssuedAccessToken(token, expiresAt);
    }

    public AccessTokenStatus ReadAccessToken(string token, out AccessTokenSubject? subject)
    {
        var status = InspectAccessToken(token, out var inspected);
        subject = inspected?.Subject;
        return status;
    }

    public AccessTokenStatus InspectAccessToken(string token, out InspectedAccessToken? inspected)
    {
        if (verified is not null && verified.TryGet(token, out inspected))
        {
            return AccessTokenStatus.Valid;
        }

        inspected = null;
        var status = Read(token, out var subject, out var claims);
        if (status == AccessTokenStatus.Valid)
        {
            // A valid token has every one of these: the format requires them (AccessTokenClaims).
            inspected = new InspectedAccessToken(subject!, claims!.Issuer!, claims.Audience!, claims.TokenId!, claims.IssuedAt!.Value, claims.Expiration!.Value);
            verified?.Add(token, inspected);
        }

        return status;
    }

    private AccessTokenStatus Read(string token, out AccessTokenSubject? subject, out AccessTokenClaims? claims)
    {
        subject = null;
        if (!format.TryDecode(token, out claims, out var error))
        {
            // The validator reports Expired only for claims whose MAC or signature verified, and
            // whose issuer and audience are ours: the token is one we issued.
            return error == PasetoTokenError.Expired ? AccessTokenStatus.Expired : AccessTokenStatus.Invalid;
        }

        if (!int.TryParse(claims.Subject, NumberStyles.None, CultureInfo.InvariantCulture, out var userId)
            || !Guid.TryParseExact(claims.SessionId, "D", out var sessionId))
        {
            return AccessTokenStatus.Invalid;
        }

        subject = new AccessTokenSubject(userId, claims.Username ?? string.Empty, claims.Role ?? string.Empty, sessionId);
        return AccessTokenStatus.Valid;
    }
}
