using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;

namespace Paseto.Auth.IntegrationTests.Mfa;

/// <summary>
/// What an authenticator app does with the secret, written here from RFC 4648 (Base32) and
/// RFC 4226/6238 (HOTP of the 30-second step, HMAC-SHA-1, 6 digits) and sharing no code with the
/// service, so a test's code is an app's code.
/// </summary>
internal sealed class Authenticator(string base32Secret)
{
    private readonly byte[] _secret = FromBase32(base32Secret);

    public byte[] Secret => (byte[])_secret.Clone();

    public static long StepAt(DateTimeOffset at) => at.ToUnixTimeSeconds() / 30;

    public string CodeAt(DateTimeOffset at) => Code(StepAt(at));

    public string Code(long step)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        // HMAC-SHA-1 is what RFC 6238 apps compute (and, as an HMAC, not weakened by SHA-1's collisions).
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, _secret);
        hmac.AppendData(counter);
        var mac = hmac.GetHashAndReset();
        var offset = mac[^1] & 0x0f;
        var binary = BinaryPrimitives.ReadInt32BigEndian(mac.AsSpan(offset)) & 0x7fffffff;
        return (binary % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
    }

    private static byte[] FromBase32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in text.TrimEnd('='))
        {
            var value = alphabet.IndexOf(char.ToUpperInvariant(c), StringComparison.Ordinal);
            Assert.That(value, Is.GreaterThanOrEqualTo(0), $"'{c}' is not Base32");
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                bytes.Add((byte)(buffer >> bits));
                buffer &= (1 << bits) - 1;
            }
        }

        return [.. bytes];
    }
}

/// <summary>
/// The host's clock: real time plus an offset a test moves forward, so each login can use a
/// fresh time step without waiting 30 seconds, while timers (the outbox, the cleanup) run as usual.
/// </summary>
internal sealed class ShiftedClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    /// <summary>Moves to the start of the next time step plus a second, so the step does not turn over during the test's next requests.</summary>
    public void NextStep()
    {
        var now = GetUtcNow();
        var intoStep = TimeSpan.FromSeconds(now.ToUnixTimeSeconds() % 30) + TimeSpan.FromTicks(now.Ticks % TimeSpan.TicksPerSecond);
        Advance(TimeSpan.FromSeconds(31) - intoStep);
    }
}
