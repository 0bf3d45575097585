using Paseto.Auth.Application.Abstractions;

namespace Paseto.Auth.UnitTests.Fakes;

internal sealed class FakeTokens : ITokenService
{
    public IReadOnlyList<PublicKeyInfo> PublicKeys => [];

    public IssuedAccessToken IssueAccessToken(AccessTokenSubject subject, DateTimeOffset now) =>
        new($"token-for-{subject.UserId}-{subject.SessionId}", now.AddMinutes(15));

    public AccessTokenStatus ReadAccessToken(string token, out AccessTokenSubject? subject)
    {
        subject = null;
        return AccessTokenStatus.Invalid;
    }

    public AccessTokenStatus InspectAccessToken(string token, out InspectedAccessToken? inspected)
    {
        inspected = null;
        return AccessTokenStatus.Invalid;
    }
}
