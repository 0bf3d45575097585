using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Domain.Passkeys;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Application.Passkeys;

/// <summary>
/// A WebAuthn ceremony started: the id to finish it with, and the options for the browser
/// (<c>PublicKeyCredentialCreationOptionsJSON</c> or <c>PublicKeyCredentialRequestOptionsJSON</c>,
/// base64url), which <c>PublicKeyCredential.parseCreationOptionsFromJSON</c> /
/// <c>parseRequestOptionsFromJSON</c> read as they are.
/// </summary>
public sealed record PasskeyCeremony(Guid ChallengeId, JsonElement Options);

/// <summary>Starts the ceremonies: stores the options sent as a challenge any instance can finish.</summary>
public sealed class PasskeyChallenges(IPasskeyRepository passkeys, IUnitOfWork unitOfWork, IOptions<AuthOptions> options)
{
    /// <summary>The size of a WebAuthn user handle (Level 3 allows at most 64 bytes).</summary>
    public const int UserHandleSize = 32;

    /// <summary>Stores the challenge (and whatever else the unit of work holds) and answers with it.</summary>
    public async Task<PasskeyCeremony> StartAsync(string purpose, int? userId, Guid? mfaChallengeId, string ceremonyOptions, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var challenge = PasskeyChallenge.Start(purpose, userId, mfaChallengeId, ceremonyOptions, now, options.Value.Passkeys.ChallengeLifetime);
        passkeys.AddChallenge(challenge);
        await unitOfWork.SaveChangesAsync(cancellationToken);
        using var document = JsonDocument.Parse(ceremonyOptions);
        return new PasskeyCeremony(challenge.Id, document.RootElement.Clone());
    }

    /// <summary>The user's WebAuthn user handle, made now (32 random bytes, never the user id) if the user has none yet.</summary>
    public static async Task<byte[]> EnsureUserHandleAsync(IUserRepository users, User user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.PasskeyUserHandle
            ?? await users.EnsurePasskeyUserHandleAsync(user.Id, RandomNumberGenerator.GetBytes(UserHandleSize), cancellationToken);
    }
}
