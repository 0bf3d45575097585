using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text.Json;

namespace Paseto.Auth.Paseto;

/// <summary>
/// Access tokens as PASETO v4 of the key ring's purpose: claims in, token string out, and back.
/// A token is accepted only if it is within the size limit, has exactly the configured header,
/// names a known key in its footer, verifies, and its claims pass <see cref="PasetoClaimsValidator"/>.
/// Decoding reports failures as <see cref="PasetoTokenError"/> rather than exceptions.
/// </summary>
public sealed class PasetoTokenFormat
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

    public PasetoTokenFormat(KeyRing keys, PasetoValidationOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _keys = keys;
        _validator = new PasetoClaimsValidator(options, timeProvider);
    }

    public PasetoPurpose Purpose => _keys.Purpose;

    public KeyRing Keys => _keys;

    /// <summary>Encrypts or signs <paramref name="claims"/> with the ring's newest key; the footer names that key.</summary>
    /// <exception cref="InvalidOperationException">The ring cannot issue tokens, or the claims would make a token over the size limit.</exception>
    public string Encode(PasetoClaims claims)
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
            JsonSerializer.Serialize(writer, claims, PasetoJsonContext.Default.PasetoClaims);
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
    public bool TryDecode(ReadOnlySpan<char> token, [NotNullWhen(true)] out PasetoClaims? claims, out PasetoTokenError error)
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

    private PasetoTokenError TryDecodeUnvalidated(ReadOnlySpan<char> token, out PasetoClaims? claims)
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

    private static PasetoClaims? DeserializeClaims(ReadOnlySpan<byte> json)
    {
        // Reached only with an authentic payload (the MAC or signature verified), i.e. one we wrote;
        // a JsonException here is rare enough to catch.
        try
        {
            return JsonSerializer.Deserialize(json, PasetoJsonContext.Default.PasetoClaims);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
