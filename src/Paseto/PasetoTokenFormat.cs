using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Paseto.Auth.Paseto;

/// <summary>Makes token formats for the registered claims alone.</summary>
public static class PasetoTokenFormat
{
    /// <summary>A format whose tokens carry <see cref="PasetoClaims"/>: the registered claims, nothing else.</summary>
    /// <param name="keys">The keys that encrypt or sign (the newest) and decrypt or verify (all).</param>
    /// <param name="options">The issuer, audience and clock skew a token must match.</param>
    /// <param name="timeProvider">The clock the token times are compared with.</param>
    /// <returns>A format that can be shared by every thread.</returns>
    public static PasetoTokenFormat<PasetoClaims> Create(KeyRing keys, PasetoValidationOptions options, TimeProvider timeProvider) =>
        new(keys, options, timeProvider, PasetoJsonContext.Default.PasetoClaims);
}

/// <summary>
/// Tokens as PASETO v4 of the key ring's purpose: claims in, token string out, and back.
/// A token is accepted only if it is within the size limit, has exactly the ring's header,
/// names a known key in its footer, verifies, and its claims pass validation (see
/// <see cref="PasetoValidationOptions"/>). Decoding reports failures as
/// <see cref="PasetoTokenError"/> rather than exceptions. An instance is immutable and thread-safe.
/// </summary>
/// <typeparam name="TClaims"><see cref="PasetoClaims"/>, or a record derived from it that carries claims of its own.</typeparam>
public sealed class PasetoTokenFormat<TClaims>
    where TClaims : PasetoClaims
{
    private const int MaxRetainedPayloadBuffer = 16 * 1024;

    // One claims buffer per thread, so encoding allocates only the token string. Encode never
    // awaits or re-enters itself, so a thread's buffer is never used by two calls at once.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _payloadBuffer;

    [ThreadStatic]
    private static Utf8JsonWriter? _payloadWriter;

    private readonly KeyRing _keys;
    private readonly PasetoClaimsValidator _validator;
    private readonly JsonTypeInfo<TClaims> _claimsTypeInfo;

    /// <summary>A format over <paramref name="keys"/> whose claims are read and written with <paramref name="claimsTypeInfo"/>.</summary>
    /// <param name="keys">The keys that encrypt or sign (the newest) and decrypt or verify (all).</param>
    /// <param name="options">The issuer, audience and clock skew a token must match.</param>
    /// <param name="timeProvider">The clock the token times are compared with.</param>
    /// <param name="claimsTypeInfo">
    /// The JSON contract of <typeparamref name="TClaims"/>, typically from a source-generated
    /// <c>JsonSerializerContext</c>. Its options must refuse duplicate properties and match names case-sensitively.
    /// </param>
    /// <exception cref="ArgumentException">
    /// Issuer or audience is empty, or the JSON options allow duplicate properties or case-insensitive names.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">The clock skew is negative or above <see cref="PasetoValidationOptions.MaxClockSkew"/>.</exception>
    public PasetoTokenFormat(KeyRing keys, PasetoValidationOptions options, TimeProvider timeProvider, JsonTypeInfo<TClaims> claimsTypeInfo)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(claimsTypeInfo);

        // Two values of one claim would let parsers disagree about which counts, and "EXP" is not "exp".
        if (claimsTypeInfo.Options.AllowDuplicateProperties || claimsTypeInfo.Options.PropertyNameCaseInsensitive)
        {
            throw new ArgumentException("The claims' JSON options must refuse duplicate properties and match names case-sensitively.", nameof(claimsTypeInfo));
        }

        _keys = keys;
        _validator = new PasetoClaimsValidator(options, timeProvider);
        _claimsTypeInfo = claimsTypeInfo;
    }

    /// <summary>The purpose of every token this format writes and reads, the key ring's.</summary>
    public PasetoPurpose Purpose => _keys.Purpose;

    /// <summary>The key ring the format encrypts, signs, decrypts and verifies with.</summary>
    public KeyRing Keys => _keys;

    /// <summary>Encrypts or signs <paramref name="claims"/> with the ring's newest key; the footer names that key.</summary>
    /// <param name="claims">The claims, serialized as the token's JSON payload; null claims are left out.</param>
    /// <returns>The token: <c>v4.local.</c> or <c>v4.public.</c>, the payload, a dot and the footer.</returns>
    /// <exception cref="InvalidOperationException">The ring cannot issue tokens, or the claims would make a token over the size limit.</exception>
    public string Encode(TClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var current = _keys.Current;
        if (current.LocalKey is null && current.SecretKey is null)
        {
            throw new InvalidOperationException("The newest key of this ring is a public key; it can verify tokens but not sign them.");
        }

        var buffer = _payloadBuffer ??= new ArrayBufferWriter<byte>(512);
        var writer = _payloadWriter ??= new Utf8JsonWriter(buffer);
        try
        {
            writer.Reset(buffer);
            JsonSerializer.Serialize(writer, claims, _claimsTypeInfo);
            var token = current.LocalKey is { } localKey
                ? PasetoV4Local.Encrypt(localKey, buffer.WrittenSpan, current.Footer)
                : PasetoV4Public.Sign(current.SecretKey!, buffer.WrittenSpan, current.Footer);
            return token.Length <= PasetoLimits.MaxTokenLength
                ? token
                : throw new InvalidOperationException("These claims make a token longer than the decoder accepts.");
        }
        finally
        {
            // Clear() zeroes what was written: for local tokens that is the plaintext.
            buffer.Clear();
            if (buffer.Capacity > MaxRetainedPayloadBuffer)
            {
                _payloadBuffer = null;
                _payloadWriter = null;
            }
        }
    }

    /// <summary>Decodes and validates a token. On failure <paramref name="claims"/> is null and <paramref name="error"/> says why.</summary>
    /// <param name="token">The token, without any <c>Bearer</c> prefix.</param>
    /// <param name="claims">The token's claims if it is accepted; otherwise null.</param>
    /// <param name="error"><see cref="PasetoTokenError.None"/> if the token is accepted; otherwise the first reason it is not.</param>
    /// <returns>True if the token is accepted.</returns>
    public bool TryDecode(ReadOnlySpan<char> token, [NotNullWhen(true)] out TClaims? claims, out PasetoTokenError error)
    {
        error = TryDecodeUnvalidated(token, out claims);
        if (error == PasetoTokenError.None)
        {
            error = _validator.Validate(claims!);
        }

        if (error != PasetoTokenError.None)
        {
            claims = null;
            return false;
        }

        return claims is not null;
    }

    private PasetoTokenError TryDecodeUnvalidated(ReadOnlySpan<char> token, out TClaims? claims)
    {
        claims = null;
        var error = PasetoToken.TrySplit(token, _keys.Purpose, out var encodedPayload, out var encodedFooter);
        if (error != PasetoTokenError.None)
        {
            return error;
        }

        var footerLength = PasetoBase64Url.GetDecodedLength(encodedFooter.Length);
        if (encodedFooter.IsEmpty || footerLength < 0 || footerLength > PasetoLimits.MaxKeyRingFooterLength)
        {
            return PasetoTokenError.Malformed;
        }

        Span<byte> footer = stackalloc byte[footerLength];
        if (!PasetoBase64Url.TryDecode(encodedFooter, footer, out _))
        {
            return PasetoTokenError.Malformed;
        }

        error = _keys.TryFindKey(footer, out var entry);
        if (error != PasetoTokenError.None)
        {
            return error;
        }

        var messageLength = _keys.Purpose == PasetoPurpose.Local
            ? PasetoV4Local.GetMessageLength(encodedPayload.Length)
            : PasetoV4Public.GetMessageLength(encodedPayload.Length);
        if (messageLength < 0)
        {
            return PasetoTokenError.Malformed;
        }

        byte[]? rented = null;
        var message = messageLength <= PasetoLimits.StackBufferLength
            ? stackalloc byte[messageLength]
            : PooledBytes.Rent(messageLength, out rented);
        try
        {
            error = entry!.LocalKey is { } localKey
                ? PasetoV4Local.TryDecrypt(encodedPayload, footer, [], localKey, message, out _)
                : PasetoV4Public.TryVerify(encodedPayload, footer, [], entry.PublicKey!, message, out _);
            if (error != PasetoTokenError.None)
            {
                return error;
            }

            claims = DeserializeClaims(message);
            return claims is null ? PasetoTokenError.InvalidClaims : PasetoTokenError.None;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(message);
            PooledBytes.Return(rented, messageLength);
        }
    }

    private TClaims? DeserializeClaims(ReadOnlySpan<byte> json)
    {
        // Reached only with an authentic payload (the MAC or signature verified), i.e. one a key holder wrote;
        // a JsonException here is rare enough to catch.
        try
        {
            return JsonSerializer.Deserialize(json, _claimsTypeInfo);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
