using Geralt;

namespace Paseto.Auth.Paseto;

/// <summary>
/// PASETO <c>v4.public</c>: an Ed25519 signature over the PAE of header, message, footer and
/// implicit assertion. The message travels in clear; only the framing is ours.
/// </summary>
internal static class PasetoV4Public
{
    public const int SignatureSize = Ed25519.SignatureSize;

    public static string Sign(
        AsymmetricSecretKey key,
        ReadOnlySpan<byte> message,
        ReadOnlySpan<byte> footer = default,
        ReadOnlySpan<byte> implicitAssertion = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var rawLength = message.Length + SignatureSize;
        var paeLength = GetPreAuthLength(message.Length, footer.Length, implicitAssertion.Length);
        var bufferLength = rawLength + paeLength;
        byte[]? rented = null;
        var buffer = bufferLength <= PasetoLimits.StackBufferLength
            ? stackalloc byte[bufferLength]
            : PooledBytes.Rent(bufferLength, out rented);
        try
        {
            var raw = buffer[..rawLength];
            var preAuth = buffer[rawLength..];
            message.CopyTo(raw);
            WritePreAuth(preAuth, message, footer, implicitAssertion);
            Ed25519.Sign(raw[message.Length..], preAuth, key.Material);
            return PasetoToken.Compose(PasetoToken.PublicHeader, raw, footer);
        }
        finally
        {
            PooledBytes.Return(rented, bufferLength);
        }
    }

    /// <summary>The message size of a token whose payload has <paramref name="encodedPayloadLength"/> characters, or -1 if impossible.</summary>
    public static int GetMessageLength(int encodedPayloadLength)
    {
        var raw = PasetoBase64Url.GetDecodedLength(encodedPayloadLength);
        return raw < SignatureSize ? -1 : raw - SignatureSize;
    }

    /// <summary>Convenience form: checks the header, verifies and returns the message and footer as new arrays.</summary>
    public static bool TryVerify(
        ReadOnlySpan<char> token,
        AsymmetricPublicKey key,
        ReadOnlySpan<byte> implicitAssertion,
        out byte[] message,
        out byte[] footer,
        out PasetoTokenError error)
    {
        message = [];
        footer = [];
        error = PasetoToken.TrySplit(token, PasetoPurpose.Public, out var encodedPayload, out var encodedFooter);
        if (error != PasetoTokenError.None)
        {
            return false;
        }

        if (!PasetoToken.TryDecodeFooter(encodedFooter, out var decodedFooter))
        {
            error = PasetoTokenError.Malformed;
            return false;
        }

        var messageLength = GetMessageLength(encodedPayload.Length);
        if (messageLength < 0)
        {
            error = PasetoTokenError.Malformed;
            return false;
        }

        var verified = new byte[messageLength];
        error = TryVerify(encodedPayload, decodedFooter, implicitAssertion, key, verified, out _);
        if (error != PasetoTokenError.None)
        {
            return false;
        }

        message = verified;
        footer = decodedFooter;
        return true;
    }

    /// <summary>
    /// Verifies the signature and only then copies the message into <paramref name="message"/>, which
    /// must hold <see cref="GetMessageLength"/> bytes.
    /// </summary>
    internal static PasetoTokenError TryVerify(
        ReadOnlySpan<char> encodedPayload,
        ReadOnlySpan<byte> footer,
        ReadOnlySpan<byte> implicitAssertion,
        AsymmetricPublicKey key,
        Span<byte> message,
        out int messageLength)
    {
        messageLength = GetMessageLength(encodedPayload.Length);
        if (messageLength < 0 || message.Length < messageLength)
        {
            messageLength = 0;
            return PasetoTokenError.Malformed;
        }

        var rawLength = messageLength + SignatureSize;
        var paeLength = GetPreAuthLength(messageLength, footer.Length, implicitAssertion.Length);
        var bufferLength = rawLength + paeLength;
        byte[]? rented = null;
        var buffer = bufferLength <= PasetoLimits.StackBufferLength
            ? stackalloc byte[bufferLength]
            : PooledBytes.Rent(bufferLength, out rented);
        try
        {
            var raw = buffer[..rawLength];
            if (!PasetoBase64Url.TryDecode(encodedPayload, raw, out _))
            {
                messageLength = 0;
                return PasetoTokenError.Malformed;
            }

            var signed = raw[..messageLength];
            var signature = raw[messageLength..];
            var preAuth = buffer[rawLength..];
            WritePreAuth(preAuth, signed, footer, implicitAssertion);
            if (!Ed25519.Verify(signature, preAuth, key.Material))
            {
                messageLength = 0;
                return PasetoTokenError.InvalidSignature;
            }

            signed.CopyTo(message);
            return PasetoTokenError.None;
        }
        finally
        {
            PooledBytes.Return(rented, bufferLength);
        }
    }

    private static int GetPreAuthLength(int messageLength, int footerLength, int implicitLength) =>
        Pae.GetLength(4, checked(PasetoToken.PublicHeader.Length + messageLength + footerLength + implicitLength));

    private static void WritePreAuth(
        Span<byte> destination,
        ReadOnlySpan<byte> message,
        ReadOnlySpan<byte> footer,
        ReadOnlySpan<byte> implicitAssertion)
    {
        var pae = new PaeWriter(destination, 4);
        pae.Append(PasetoToken.PublicHeaderUtf8);
        pae.Append(message);
        pae.Append(footer);
        pae.Append(implicitAssertion);
    }
}
