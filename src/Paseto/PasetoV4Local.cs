using System.Security.Cryptography;
using Geralt;

namespace Paseto.Auth.Paseto;

/// <summary>
/// PASETO <c>v4.local</c>: XChaCha20 encryption with a BLAKE2b-MAC over the PAE of header, nonce,
/// ciphertext, footer and implicit assertion (encrypt-then-MAC). Only the framing is ours; every
/// primitive is libsodium's, through Geralt.
/// </summary>
internal static class PasetoV4Local
{
    public const int NonceSize = 32;
    public const int TagSize = 32;

    private const int EncryptionKeySize = XChaCha20.KeySize;
    private const int CounterNonceSize = XChaCha20.NonceSize;
    private const int AuthenticationKeySize = 32;
    private const int DerivedKeysSize = EncryptionKeySize + CounterNonceSize + AuthenticationKeySize;

    private static ReadOnlySpan<byte> EncryptionKeyInfo => "paseto-encryption-key"u8;

    private static ReadOnlySpan<byte> AuthenticationKeyInfo => "paseto-auth-key-for-aead"u8;

    public static string Encrypt(
        SymmetricKey key,
        ReadOnlySpan<byte> message,
        ReadOnlySpan<byte> footer = default,
        ReadOnlySpan<byte> implicitAssertion = default)
    {
        Span<byte> nonce = stackalloc byte[NonceSize];
        SecureRandom.Fill(nonce);
        return Encrypt(key, message, footer, implicitAssertion, nonce);
    }

    /// <summary>Encrypts with a caller-chosen nonce. Only for the test vectors: a real token always takes a fresh random nonce.</summary>
    internal static string Encrypt(
        SymmetricKey key,
        ReadOnlySpan<byte> message,
        ReadOnlySpan<byte> footer,
        ReadOnlySpan<byte> implicitAssertion,
        ReadOnlySpan<byte> nonce)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (nonce.Length != NonceSize)
        {
            throw new ArgumentException($"The nonce is exactly {NonceSize} bytes.", nameof(nonce));
        }

        var rawLength = NonceSize + message.Length + TagSize;
        var paeLength = GetPreAuthLength(message.Length, footer.Length, implicitAssertion.Length);
        var bufferLength = rawLength + paeLength;
        byte[]? rented = null;
        var buffer = bufferLength <= PasetoLimits.StackBufferLength
            ? stackalloc byte[bufferLength]
            : PooledBytes.Rent(bufferLength, out rented);
        Span<byte> derived = stackalloc byte[DerivedKeysSize];
        try
        {
            var raw = buffer[..rawLength];
            var preAuth = buffer[rawLength..];
            nonce.CopyTo(raw);
            var ciphertext = raw.Slice(NonceSize, message.Length);

            DeriveKeys(key, nonce, derived);
            XChaCha20.Encrypt(ciphertext, message, CounterNonce(derived), EncryptionKey(derived), counter: 0);
            WritePreAuth(preAuth, nonce, ciphertext, footer, implicitAssertion);
            BLAKE2b.ComputeTag(raw[^TagSize..], preAuth, AuthenticationKey(derived));

            return PasetoToken.Compose(PasetoToken.LocalHeader, raw, footer);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(derived);
            PooledBytes.Return(rented, bufferLength);
        }
    }

    /// <summary>The plaintext size of a token whose payload has <paramref name="encodedPayloadLength"/> characters, or -1 if impossible.</summary>
    public static int GetMessageLength(int encodedPayloadLength)
    {
        var raw = PasetoBase64Url.GetDecodedLength(encodedPayloadLength);
        return raw < NonceSize + TagSize ? -1 : raw - NonceSize - TagSize;
    }

    /// <summary>
    /// Convenience form: checks the header, decrypts and returns the message and footer as new arrays.
    /// </summary>
    public static bool TryDecrypt(
        ReadOnlySpan<char> token,
        SymmetricKey key,
        ReadOnlySpan<byte> implicitAssertion,
        out byte[] message,
        out byte[] footer,
        out PasetoTokenError error)
    {
        message = [];
        footer = [];
        error = PasetoToken.TrySplit(token, PasetoPurpose.Local, out var encodedPayload, out var encodedFooter);
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

        var plaintext = new byte[messageLength];
        error = TryDecrypt(encodedPayload, decodedFooter, implicitAssertion, key, plaintext, out _);
        if (error != PasetoTokenError.None)
        {
            return false;
        }

        message = plaintext;
        footer = decodedFooter;
        return true;
    }

    /// <summary>
    /// Verifies the MAC in constant time and only then decrypts into <paramref name="message"/>, which
    /// must hold <see cref="GetMessageLength"/> bytes. Nothing is written to it if the MAC fails.
    /// </summary>
    internal static PasetoTokenError TryDecrypt(
        ReadOnlySpan<char> encodedPayload,
        ReadOnlySpan<byte> footer,
        ReadOnlySpan<byte> implicitAssertion,
        SymmetricKey key,
        Span<byte> message,
        out int messageLength)
    {
        messageLength = GetMessageLength(encodedPayload.Length);
        if (messageLength < 0 || message.Length < messageLength)
        {
            messageLength = 0;
            return PasetoTokenError.Malformed;
        }

        var rawLength = NonceSize + messageLength + TagSize;
        var paeLength = GetPreAuthLength(messageLength, footer.Length, implicitAssertion.Length);
        var bufferLength = rawLength + paeLength;
        byte[]? rented = null;
        var buffer = bufferLength <= PasetoLimits.StackBufferLength
            ? stackalloc byte[bufferLength]
            : PooledBytes.Rent(bufferLength, out rented);
        Span<byte> derived = stackalloc byte[DerivedKeysSize];
        Span<byte> expectedTag = stackalloc byte[TagSize];
        try
        {
            var raw = buffer[..rawLength];
            if (!PasetoBase64Url.TryDecode(encodedPayload, raw, out _))
            {
                messageLength = 0;
                return PasetoTokenError.Malformed;
            }

            var nonce = raw[..NonceSize];
            var ciphertext = raw.Slice(NonceSize, messageLength);
            var tag = raw[^TagSize..];
            var preAuth = buffer[rawLength..];

            DeriveKeys(key, nonce, derived);
            WritePreAuth(preAuth, nonce, ciphertext, footer, implicitAssertion);
            BLAKE2b.ComputeTag(expectedTag, preAuth, AuthenticationKey(derived));

            // Constant-time compare, as the spec requires: the comparison must not tell an attacker
            // how many leading bytes of a forged tag were right.
            if (!ConstantTime.Equals(expectedTag, tag))
            {
                messageLength = 0;
                return PasetoTokenError.InvalidSignature;
            }

            XChaCha20.Decrypt(message[..messageLength], ciphertext, CounterNonce(derived), EncryptionKey(derived), counter: 0);
            return PasetoTokenError.None;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(derived);
            PooledBytes.Return(rented, bufferLength);
        }
    }

    private static int GetPreAuthLength(int messageLength, int footerLength, int implicitLength) =>
        Pae.GetLength(5, checked(PasetoToken.LocalHeader.Length + NonceSize + messageLength + footerLength + implicitLength));

    private static void WritePreAuth(
        Span<byte> destination,
        ReadOnlySpan<byte> nonce,
        ReadOnlySpan<byte> ciphertext,
        ReadOnlySpan<byte> footer,
        ReadOnlySpan<byte> implicitAssertion)
    {
        var pae = new PaeWriter(destination, 5);
        pae.Append(PasetoToken.LocalHeaderUtf8);
        pae.Append(nonce);
        pae.Append(ciphertext);
        pae.Append(footer);
        pae.Append(implicitAssertion);
    }

    /// <summary>
    /// Ek || n2 = BLAKE2b-448(key, "paseto-encryption-key" || n); Ak = BLAKE2b-256(key, "paseto-auth-key-for-aead" || n).
    /// </summary>
    private static void DeriveKeys(SymmetricKey key, ReadOnlySpan<byte> nonce, Span<byte> derived)
    {
        Span<byte> info = stackalloc byte[AuthenticationKeyInfo.Length + NonceSize];

        EncryptionKeyInfo.CopyTo(info);
        nonce.CopyTo(info[EncryptionKeyInfo.Length..]);
        BLAKE2b.ComputeTag(derived[..(EncryptionKeySize + CounterNonceSize)], info[..(EncryptionKeyInfo.Length + NonceSize)], key.Material);

        AuthenticationKeyInfo.CopyTo(info);
        nonce.CopyTo(info[AuthenticationKeyInfo.Length..]);
        BLAKE2b.ComputeTag(derived[(EncryptionKeySize + CounterNonceSize)..], info, key.Material);
    }

    private static ReadOnlySpan<byte> EncryptionKey(ReadOnlySpan<byte> derived) => derived[..EncryptionKeySize];

    private static ReadOnlySpan<byte> CounterNonce(ReadOnlySpan<byte> derived) =>
        derived.Slice(EncryptionKeySize, CounterNonceSize);

    private static ReadOnlySpan<byte> AuthenticationKey(ReadOnlySpan<byte> derived) =>
        derived[(EncryptionKeySize + CounterNonceSize)..];
}
