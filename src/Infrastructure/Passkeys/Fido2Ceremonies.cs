using System.Buffers.Binary;
using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Fido2NetLib;
using Fido2NetLib.Exceptions;
using Fido2NetLib.Objects;
using Microsoft.Extensions.Options;
using Paseto.Auth.Application;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Infrastructure.Security;

namespace Paseto.Auth.Infrastructure.Passkeys;

/// <summary>
/// The WebAuthn ceremonies through the <c>Fido2</c> library (4.x): options with a 32-byte
/// challenge, and the verification steps of WebAuthn Level 3 §7.1 and §7.2 (type, challenge,
/// origin against <c>Auth:Passkeys:Origins</c>, RP id hash, user presence and verification,
/// the signature with the stored COSE key, the counter). Attestation is <c>none</c>: the service
/// trusts no authenticator model over another, so no metadata service is consulted.
/// </summary>
/// <remarks>
/// What a client sends is parsed defensively: the library reads JSON, base64url and CBOR from
/// the request, and whatever it cannot read is a <see cref="PasskeyFailure.Malformed"/> (400),
/// never a 500.
/// </remarks>
internal sealed class Fido2Ceremonies : IPasskeyCeremonies
{
    /// <summary>A credential id of a decoy, as long as the ones common authenticators make.</summary>
    private const int DecoyIdLength = 32;

    /// <summary>The library's models as it reads them; the attestation response has no generated metadata, so it is read by reflection over the same attributes.</summary>
    private static readonly JsonSerializerOptions _json = new(Fido2NetLib.Serialization.FidoModelSerializerContext.Default.Options)
    {
        TypeInfoResolver = JsonTypeInfoResolver.Combine(Fido2NetLib.Serialization.FidoModelSerializerContext.Default, new DefaultJsonTypeInfoResolver()),
    };

    private readonly Fido2 _fido2;
    private readonly byte[] _decoyKey;

    public Fido2Ceremonies(IOptions<AuthOptions> options, FactorSecretSealer sealer)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sealer);
        var passkeys = options.Value.Passkeys;
        _fido2 = new Fido2(
            new Fido2Configuration
            {
                RPID = passkeys.EffectiveRelyingPartyId,
                RPName = passkeys.RelyingPartyName,
                Origins = new HashSet<string>(passkeys.Origins, StringComparer.Ordinal),
                ChallengeSize = 32,
                Timeout = (uint)passkeys.ChallengeLifetime.TotalMilliseconds,
            },
            metadataService: null);
        _decoyKey = sealer.DeriveKey("passkey-decoys");
    }

    public string CreationOptions(PasskeyAccount account, IReadOnlyList<byte[]> excludeCredentialIds)
    {
        ArgumentNullException.ThrowIfNull(account);
        var options = _fido2.RequestNewCredential(new RequestNewCredentialParams
        {
            User = new Fido2User { Id = account.UserHandle, Name = account.Username, DisplayName = account.DisplayName },
            ExcludeCredentials = [.. excludeCredentialIds.Select(id => new PublicKeyCredentialDescriptor(id))],
            AuthenticatorSelection = new AuthenticatorSelection
            {
                ResidentKey = ResidentKeyRequirement.Preferred,
                UserVerification = UserVerificationRequirement.Required,
            },
            AttestationPreference = AttestationConveyancePreference.None,
        });
        return options.ToJson();
    }

    public async Task<NewPasskeyCredential> VerifyRegistrationAsync(string options, JsonElement credential, CancellationToken cancellationToken)
    {
        var raw = Read<AuthenticatorAttestationRawResponse>(credential);
        if (raw.RawId is not { Length: > 0 } || raw.Response?.AttestationObject is null || raw.Response.ClientDataJson is null)
        {
            throw new PasskeyException(PasskeyFailure.Malformed);
        }

        try
        {
            var registered = await _fido2.MakeNewCredentialAsync(new MakeNewCredentialParams
            {
                AttestationResponse = raw,
                OriginalOptions = CredentialCreateOptions.FromJson(options),
                // Uniqueness is the use case's (and the unique index's): it knows every account's passkeys.
                IsCredentialIdUniqueToUserCallback = (_, _) => Task.FromResult(true),
            }, cancellationToken);
            if (registered.Id.Length > Domain.Passkeys.Passkey.CredentialIdMaxLength)
            {
                throw new PasskeyException(PasskeyFailure.Malformed);
            }

            return new NewPasskeyCredential(
                registered.Id,
                registered.PublicKey,
                registered.SignCount,
                registered.AaGuid,
                [.. (registered.Transports ?? []).Select(t => t.ToString().ToLowerInvariant())],
                registered.IsBackupEligible,
                registered.IsBackedUp);
        }
        catch (Fido2VerificationException e)
        {
            throw Refusal(e, PasskeyFailure.RegistrationRefused);
        }
        catch (Exception e) when (IsUnreadable(e))
        {
            throw new PasskeyException(PasskeyFailure.Malformed);
        }
    }

    public string RequestOptions(IReadOnlyList<byte[]> allowCredentialIds) =>
        _fido2.GetAssertionOptions(new GetAssertionOptionsParams
        {
            AllowedCredentials = [.. allowCredentialIds.Select(id => new PublicKeyCredentialDescriptor(id))],
            UserVerification = UserVerificationRequirement.Required,
        }).ToJson();

    public PresentedAssertion ReadAssertion(JsonElement credential)
    {
        var raw = Read<AuthenticatorAssertionRawResponse>(credential);
        if (raw.RawId is not { Length: > 0 and <= Domain.Passkeys.Passkey.CredentialIdMaxLength } || raw.Response is null
            || raw.Response.ClientDataJson is null || raw.Response.Signature is null
            // rpIdHash (32), flags (1) and the counter (4) at least.
            || raw.Response.AuthenticatorData is not { Length: >= 37 })
        {
            throw new PasskeyException(PasskeyFailure.Malformed);
        }

        var signCount = BinaryPrimitives.ReadUInt32BigEndian(raw.Response.AuthenticatorData.AsSpan(33, 4));
        return new PresentedAssertion(raw.RawId, raw.Response.UserHandle, signCount, raw);
    }

    public async Task<VerifiedAssertion> VerifyAssertionAsync(string options, PresentedAssertion assertion, StoredPasskey passkey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(assertion);
        ArgumentNullException.ThrowIfNull(passkey);
        try
        {
            var result = await _fido2.MakeAssertionAsync(new MakeAssertionParams
            {
                AssertionResponse = (AuthenticatorAssertionRawResponse)assertion.Parsed,
                OriginalOptions = AssertionOptions.FromJson(options),
                StoredPublicKey = passkey.PublicKey,
                StoredSignatureCounter = (uint)passkey.SignCount,
                IsUserHandleOwnerOfCredentialIdCallback = (p, _) =>
                    Task.FromResult(CryptographicOperations.FixedTimeEquals(p.UserHandle, passkey.OwnerUserHandle)),
            }, cancellationToken);
            return new VerifiedAssertion(result.SignCount, result.IsBackedUp);
        }
        catch (Fido2VerificationException e)
        {
            throw Refusal(e, PasskeyFailure.AssertionRefused);
        }
        catch (Exception e) when (IsUnreadable(e))
        {
            throw new PasskeyException(PasskeyFailure.Malformed);
        }
    }

    public IReadOnlyList<byte[]> DecoyCredentialIds(string normalizedUsername)
    {
        var seed = HMACSHA256.HashData(_decoyKey, Encoding.UTF8.GetBytes(normalizedUsername));
        // One to three, as many as most accounts have.
        var count = 1 + (seed[0] % 3);
        var ids = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            ids[i] = HMACSHA256.HashData(seed, new[] { (byte)i })[..DecoyIdLength];
        }

        return ids;
    }

    private static T Read<T>(JsonElement credential)
        where T : class
    {
        try
        {
            return credential.Deserialize<T>(_json) ?? throw new PasskeyException(PasskeyFailure.Malformed);
        }
        catch (Exception e) when (IsUnreadable(e))
        {
            throw new PasskeyException(PasskeyFailure.Malformed);
        }
    }

    private static PasskeyException Refusal(Fido2VerificationException e, PasskeyFailure otherwise) => e.Code switch
    {
        Fido2ErrorCode.InvalidSignCount => new PasskeyException(PasskeyFailure.CounterRegressed),
        Fido2ErrorCode.InvalidRpidHash or Fido2ErrorCode.InvalidAuthenticatorResponseOrigin or Fido2ErrorCode.MissingAuthenticatorResponseOrigin
            or Fido2ErrorCode.CrossOriginRequestNotAllowed or Fido2ErrorCode.InvalidAuthenticatorResponseTopOrigin
            => new PasskeyException(PasskeyFailure.WrongRelyingParty),
        Fido2ErrorCode.InvalidAuthenticatorResponseChallenge or Fido2ErrorCode.MissingAuthenticatorResponseChallenge
            => new PasskeyException(PasskeyFailure.ChallengeInvalid),
        Fido2ErrorCode.MalformedAttestationObject or Fido2ErrorCode.MalformedAuthenticatorResponse or Fido2ErrorCode.MalformedExtensionsDetected
            or Fido2ErrorCode.InvalidAuthenticatorData or Fido2ErrorCode.MissingAuthenticatorData or Fido2ErrorCode.MissingAttestationObject
            or Fido2ErrorCode.InvalidAttestationObject
            => new PasskeyException(PasskeyFailure.Malformed),
        Fido2ErrorCode.UserVerificationRequirementNotMet or Fido2ErrorCode.UserPresentFlagNotSet
            => new PasskeyException(otherwise, "User presence and verification are required: the authenticator must check a PIN or biometric."),
        _ => new PasskeyException(otherwise),
    };

    /// <summary>What a parser throws on bytes it cannot read (JSON, base64url, CBOR, a COSE key).</summary>
    private static bool IsUnreadable(Exception e) =>
        e is JsonException or CborContentException or FormatException or ArgumentException or InvalidOperationException
            or OverflowException or CryptographicException or IndexOutOfRangeException or InvalidCastException
            or KeyNotFoundException;
}
