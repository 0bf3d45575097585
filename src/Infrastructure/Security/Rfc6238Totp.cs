using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using OtpNet;
using Paseto.Auth.Application;
using Paseto.Auth.Application.Abstractions;
using QRCoder;

namespace Paseto.Auth.Infrastructure.Security;

/// <summary>
/// TOTP as RFC 6238 fixes it for authenticator apps: HOTP (RFC 4226, Otp.NET's) of the 30-second
/// step counted from the Unix epoch, HMAC-SHA-1, 6 digits, one step of drift either way. The
/// codes of the three steps are all computed and compared in constant time, so neither the
/// comparison nor which step matched shows in the answer's timing.
/// </summary>
internal sealed class Rfc6238Totp(IOptions<AuthOptions> options) : ITotp
{
    public const int StepSeconds = 30;
    public const int Digits = 6;
    private const int SecretBytes = 20;

    public byte[] NewSecret() => RandomNumberGenerator.GetBytes(SecretBytes);

    public long StepAt(DateTimeOffset at) => at.ToUnixTimeSeconds() / StepSeconds;

    /// <summary>The code of <paramref name="step"/> with <paramref name="digits"/> digits (RFC 4226 §5.3's truncation).</summary>
    public static string Code(ReadOnlySpan<byte> secret, long step, int digits = Digits) =>
        new Hotp(secret.ToArray(), OtpHashMode.Sha1, digits).ComputeHOTP(step);

    public long? MatchStep(ReadOnlySpan<byte> secret, string code, DateTimeOffset now, long afterStep)
    {
        var presented = Encoding.ASCII.GetBytes(code);
        var current = StepAt(now);
        long? match = null;
        for (var step = current - 1; step <= current + 1; step++)
        {
            var expected = Encoding.ASCII.GetBytes(Code(secret, step));
            // Every step is computed and compared; only then is the match used.
            var equal = CryptographicOperations.FixedTimeEquals(expected, presented);
            if (equal && step > afterStep)
            {
                match = step;
            }
        }

        return match;
    }

    public TotpEnrollment Describe(ReadOnlySpan<byte> secret, string accountName)
    {
        var issuer = options.Value.Mfa.Issuer;
        var base32 = Base32Encoding.ToString(secret.ToArray()).TrimEnd('=');
        // Key URI format: the label is "issuer:account", both percent-encoded, and the issuer is
        // repeated as a parameter for the apps that read only that.
        var uri = string.Create(CultureInfo.InvariantCulture,
            $"otpauth://totp/{Uri.EscapeDataString(issuer)}:{Uri.EscapeDataString(accountName)}?secret={base32}&issuer={Uri.EscapeDataString(issuer)}&algorithm=SHA1&digits={Digits}&period={StepSeconds}");
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        var svg = new SvgQRCode(data).GetGraphic(4);
        return new TotpEnrollment(base32, uri, svg);
    }
}
