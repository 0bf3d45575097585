using Paseto.Auth.Infrastructure.Security;

namespace Paseto.Auth.UnitTests.Passwords;

/// <summary>
/// Argon2id hashes written by the reference implementation's command-line tool (P-H-C argon2), e.g.
/// <c>echo -n 'correct horse battery staple' | argon2 saltsaltsaltsalt -id -t 2 -k 1024 -p 1 -l 32 -e</c>.
/// The last one is from the reference implementation's own test suite.
/// </summary>
internal static class ReferenceVectors
{
    public const string Password = "correct horse battery staple";

    public const string M1024T2P1 = "$argon2id$v=19$m=1024,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$RC5JY/00hXKlnXZ/+PCVcJg84nuCQwbjIQ3DVCTomOQ";

    public const string M19456T2P1 = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$QKHrg5tayLGcN+Y0HVPNaBqykOVLUxlMkZycXE1uWRM";

    /// <summary>Two lanes: beyond libsodium, so only the managed engine computes it.</summary>
    public const string M1024T1P2 = "$argon2id$v=19$m=1024,t=1,p=2$c2FsdHNhbHRzYWx0c2FsdA$TtOj7Q56cgDaNX31uJINlgpx91SIcv0er82bc4XaXWk";

    /// <summary>Password <c>password</c>, an 8-byte salt <c>somesalt</c>: also beyond libsodium.</summary>
    public const string ReferenceSuite = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";

    public static IEnumerable<TestCaseData> All()
    {
        yield return new TestCaseData(Password, M1024T2P1).SetArgDisplayNames("m=1024,t=2,p=1");
        yield return new TestCaseData(Password, M19456T2P1).SetArgDisplayNames("m=19456,t=2,p=1");
        yield return new TestCaseData(Password, M1024T1P2).SetArgDisplayNames("m=1024,t=1,p=2");
        yield return new TestCaseData("password", ReferenceSuite).SetArgDisplayNames("m=65536,t=2,p=1,8-byte salt");
    }

    public static PhcArgon2idHash Parse(string phc) =>
        PhcArgon2idHash.TryParse(phc, out var parsed) ? parsed : throw new AssertionException($"Not a valid PHC string: {phc}");
}
