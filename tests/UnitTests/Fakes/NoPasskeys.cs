using System.Text.Json;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Domain.Passkeys;

namespace Paseto.Auth.UnitTests.Fakes;

/// <summary>The passkeys (and their ceremonies) of handler tests whose users have none: anything that reaches them fails the test.</summary>
internal sealed class NoPasskeys : IPasskeyRepository, IPasskeyCeremonies
{
    public string CreationOptions(PasskeyAccount account, IReadOnlyList<byte[]> excludeCredentialIds) => throw Unexpected();

    public Task<NewPasskeyCredential> VerifyRegistrationAsync(string options, JsonElement credential, CancellationToken cancellationToken) => throw Unexpected();

    public string RequestOptions(IReadOnlyList<byte[]> allowCredentialIds) => throw Unexpected();

    public PresentedAssertion ReadAssertion(JsonElement credential) => throw Unexpected();

    public Task<VerifiedAssertion> VerifyAssertionAsync(string options, PresentedAssertion assertion, StoredPasskey passkey, CancellationToken cancellationToken) => throw Unexpected();

    public IReadOnlyList<byte[]> DecoyCredentialIds(string normalizedUsername) => throw Unexpected();

    public Task<List<Passkey>> ListAsync(int userId, CancellationToken cancellationToken) => throw Unexpected();

    public Task<Passkey?> FindAsync(int userId, Guid id, CancellationToken cancellationToken) => throw Unexpected();

    public Task<Passkey?> FindByCredentialIdAsync(byte[] credentialId, CancellationToken cancellationToken) => throw Unexpected();

    public Task<int> CountAsync(int userId, CancellationToken cancellationToken) => throw Unexpected();

    public Task<bool> CredentialIdTakenAsync(byte[] credentialId, CancellationToken cancellationToken) => throw Unexpected();

    public void Add(Passkey passkey) => throw Unexpected();

    public void Remove(Passkey passkey) => throw Unexpected();

    public Task<bool> TryRecordUseAsync(Guid passkeyId, long newCount, bool backedUp, DateTimeOffset now, CancellationToken cancellationToken) => throw Unexpected();

    public void AddChallenge(PasskeyChallenge challenge) => throw Unexpected();

    public Task<PasskeyChallenge?> TryConsumeChallengeAsync(Guid challengeId, IReadOnlyList<string> purposes, int? userId, DateTimeOffset now, CancellationToken cancellationToken) => throw Unexpected();

    private static InvalidOperationException Unexpected() => new("A user without a passkey reached the passkey store.");
}
