using System.Text;
using Paseto.Auth.Infrastructure.Security;

namespace Paseto.Auth.UnitTests.Passwords;

public class PhcArgon2idHashTests
{
    private const string Salt = "c2FsdHNhbHRzYWx0c2FsdA";
    private const string Hash = "RC5JY/00hXKlnXZ/+PCVcJg84nuCQwbjIQ3DVCTomOQ";

    public static IEnumerable<TestCaseData> Malformed()
    {
        static TestCaseData Case(string value, string why) => new TestCaseData(value).SetArgDisplayNames(why);

        yield return Case("", "empty");
        yield return Case("garbage", "garbage");
        yield return Case("$argon2id$", "identifier only");
        yield return Case("$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy", "bcrypt");
        yield return Case($"$argon2i$v=19$m=1024,t=2,p=1${Salt}${Hash}", "argon2i");
        yield return Case($"$argon2d$v=19$m=1024,t=2,p=1${Salt}${Hash}", "argon2d");
        yield return Case($"$ARGON2ID$v=19$m=1024,t=2,p=1${Salt}${Hash}", "upper-case identifier");
        yield return Case($"$argon2id$v=16$m=1024,t=2,p=1${Salt}${Hash}", "version 0x10");
        yield return Case($"$argon2id$m=1024,t=2,p=1${Salt}${Hash}", "no version");
        yield return Case($"argon2id$v=19$m=1024,t=2,p=1${Salt}${Hash}", "no leading dollar");
        yield return Case($"$argon2id$v=19$m=1024,t=2,p=1${Salt}${Hash}$", "trailing dollar");
        yield return Case($"$argon2id$v=19$m=1024,t=2,p=1${Salt}", "no hash");
        yield return Case($"$argon2id$v=19$m=1024,t=2,p=1$${Hash}", "empty salt");
        yield return Case($"$argon2id$v=19$m=1024,t=2,p=1${Salt}$", "empty hash");
        yield return Case($" $argon2id$v=19$m=1024,t=2,p=1${Salt}${Hash}", "leading space");
        yield return Case($"$argon2id$v=19$m=1024,t=2,p=1${Salt}${Hash} ", "trailing space");
        yield return Case($"$argon2id$v=19$m=0,t=2,p=1${Salt}${Hash}", "no memory");
        yield return Case($"$argon2id$v=19$m=7,t=1,p=1${Salt}${Hash}", "memory under 8 KiB");
        yield return Case($"$argon2id$v=19$m=8,t=1,p=2${Salt}${Hash}", "memory under 8 KiB per lane");
        yield return Case($"$argon2id$v=19$m=1048577,t=2,p=1${Salt}${Hash}", "memory over 1 GiB");
        yield return Case($"$argon2id$v=19$m=4294967295,t=2,p=1${Salt}${Hash}", "memory 4 TiB");
        yield return Case($"$argon2id$v=19$m=99999999999,t=2,p=1${Salt}${Hash}", "memory with 11 digits");
        yield return Case($"$argon2id$v=19$m=1024,t=0,p=1${Salt}${Hash}", "no iterations");
        yield return Case($"$argon2id$v=19$m=1024,t=17,p=1${Salt}${Hash}", "too many iterations");
        yield return Case($"$argon2id$v=19$m=1024,t=4294967295,p=1${Salt}${Hash}", "2^32-1 iterations");
        yield return Case($"$argon2id$v=19$m=1024,t=2,p=0${Salt}${Hash}", "no lanes");
        yield return Case($"$argon2id$v=19$m=1048576,t=2,p=255${Salt}${Hash}", "255 lanes");
        yield return Case($"$argon2id$v=19$m=01024,t=2,p=1${Salt}${Hash}", "leading zero");
        yield return Case($"$argon2id$v=19$m=+1024,t=2,p=1${Salt}${Hash}", "plus sign");
        yield return Case($"$argon2id$v=19$m=-1024,t=2,p=1${Salt}${Hash}", "minus sign");
        yield return Case($"$argon2id$v=19$m= 1024,t=2,p=1${Salt}${Hash}", "space in number");
        yield return Case($"$argon2id$v=19$m=\uFF11\uFF10\uFF12\uFF14,t=2,p=1${Salt}${Hash}", "fullwidth digits");
        yield return Case($"$argon2id$v=19$m=0x400,t=2,p=1${Salt}${Hash}", "hexadecimal");
        yield return Case($"$argon2id$v=19$t=2,m=1024,p=1${Salt}${Hash}", "parameters out of order");
        yield return Case($"$argon2id$v=19$m=1024,t=2${Salt}${Hash}", "no p");
        yield return Case($"$argon2id$v=19$m=1024,m=1024,t=2,p=1${Salt}${Hash}", "m twice");
        yield return Case($"$argon2id$v=19$m=1024,t=2,p=1,p=2${Salt}${Hash}", "p twice");
        yield return Case($"$argon2id$v=19$m=1024,t=2,p=1,keyid=AQ,keyid=Ag${Salt}${Hash}", "extra parameter twice");
        yield return Case($"$argon2id$v=19$m=1024,t=2,p=1,KeyId=AQ${Salt}${Hash}", "upper-case parameter name");
        yield return Case($"$argon2id$v=19$m=1024,t=2,p=1,keyid=A_${Salt}${Hash}", "bad parameter value");
        yield return Case($"$argon2id$v=19$m=1024,t=2,p=1,=AQ${Salt}${Hash}", "parameter without a name");
        yield return Case($"$argon2id$v=19$m=1024,t=2,p=1,a=1,b=2,c=3,d=4,e=5${Salt}${Hash}", "too many parameters");
        yield return Case($"$argon2id$v=19$m=1024,t=2,p=1,${Salt}${Hash}", "trailing comma");
        yield return Case($"$argon2id$v=19$m=1024,t=2,p=1${Salt}==${Hash}", "padded salt");
        yield return Case($"$argon2id$v=19$m=1024,t=2,p=1${Salt}${Hash}=", "padded hash");
        yield return Case($"$argon2id$v=19$m=1024,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdB${Hash}", "non-zero trailing bits");
        yield return Case($"$argon2id$v=19$m=1024,t=2,p=1$c2FsdHNhbHRzYWx0c2F-dA${Hash}", "url-safe alphabet");
        yield return Case($"$argon2id$v=19$m=1024,t=2,p=1$c2FsdH NhbHRzYWx0c2FsdA${Hash}", "whitespace in salt");
        yield return Case($"$argon2id$v=19$m=1024,t=2,p=1$c2FsdHNhbHRzYWx0c2Fsd${Hash}", "length 1 modulo 4");
        yield return Case($"$argon2id$v=19$m=1024,t=2,p=1$c2FsdA${Hash}", "4-byte salt");
        yield return Case($"$argon2id$v=19$m=1024,t=2,p=1${new string('A', 66)}${Hash}", "49-byte salt");
        yield return Case($"$argon2id$v=19$m=1024,t=2,p=1${Salt}$AAAAAAAAAAAAAAAAAAAA", "15-byte hash");
        yield return Case($"$argon2id$v=19$m=1024,t=2,p=1${Salt}${new string('A', 87)}", "65-byte hash");
        yield return Case($"$argon2id$v=19$m=1024,t=2,p=1${Salt}${Hash}{new string('A', 2000)}", "very long");
    }

    [Test]
    public void Format_writes_the_reference_implementation_string()
    {
        var salt = Encoding.ASCII.GetBytes("saltsaltsaltsalt");
        var hash = Convert.FromBase64String(Hash + "=");

        var phc = PhcArgon2idHash.Format(new Argon2idParameters(1024, 2, 1), salt, hash);

        Assert.That(phc, Is.EqualTo(ReferenceVectors.M1024T2P1));
    }

    [TestCaseSource(typeof(ReferenceVectors), nameof(ReferenceVectors.All))]
    public void Parse_then_format_round_trips(string password, string phc)
    {
        var parsed = ReferenceVectors.Parse(phc);
        var formatted = PhcArgon2idHash.Format(parsed.Parameters, parsed.Salt.Span, parsed.Hash.Span);

        Assert.That(formatted, Is.EqualTo(phc));
    }

    [Test]
    public void Parse_reads_parameters_salt_and_hash()
    {
        var parsed = ReferenceVectors.Parse(ReferenceVectors.M1024T1P2);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(parsed.Parameters, Is.EqualTo(new Argon2idParameters(1024, 1, 2)));
            Assert.That(parsed.Salt.ToArray(), Is.EqualTo(Encoding.ASCII.GetBytes("saltsaltsaltsalt")));
            Assert.That(parsed.Hash.Length, Is.EqualTo(32));
            Assert.That(parsed.ExtraParameters, Is.Empty);
        }
    }

    [Test]
    public void Parse_keeps_parameters_after_m_t_p_for_a_later_pepper_key_id()
    {
        var phc = $"$argon2id$v=19$m=1024,t=2,p=1,keyid=AQ,data=c29tZQ${Salt}${Hash}";

        var parsed = ReferenceVectors.Parse(phc);

        Assert.That(parsed.ExtraParameters, Is.EqualTo(new[]
        {
            new KeyValuePair<string, string>("keyid", "AQ"),
            new KeyValuePair<string, string>("data", "c29tZQ"),
        }));
    }

    [TestCaseSource(nameof(Malformed))]
    public void Parse_refuses_malformed_or_absurd_strings(string value)
    {
        Assert.That(PhcArgon2idHash.TryParse(value, out _), Is.False);
    }

    [Test]
    public void Parse_refuses_null()
    {
        Assert.That(PhcArgon2idHash.TryParse(null, out _), Is.False);
    }
}
