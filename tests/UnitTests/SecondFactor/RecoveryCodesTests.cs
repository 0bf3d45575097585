using Paseto.Auth.Application.SecondFactor;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.UnitTests.SecondFactor;

public sealed class RecoveryCodesTests
{
    [Test]
    public void A_set_is_ten_distinct_codes_of_80_bits_whose_hashes_are_what_is_kept()
    {
        var (codes, hashes) = RecoveryCodes.Create(42);
        Assert.Multiple(() =>
        {
            Assert.That(codes, Has.Count.EqualTo(10).And.Unique);
            Assert.That(codes, Has.All.Length.EqualTo(19), "16 characters of 5 bits, in four groups");
            Assert.That(codes.Select(c => RecoveryCodes.TryHash(42, c)), Is.EqualTo(hashes));
        });
    }

    [Test]
    public void A_code_is_read_as_a_person_may_type_it_and_belongs_to_one_user()
    {
        var (codes, hashes) = RecoveryCodes.Create(42);
        var typed = codes[0].Replace("-", " ", StringComparison.Ordinal).ToUpperInvariant();
        Assert.Multiple(() =>
        {
            Assert.That(RecoveryCodes.TryHash(42, typed), Is.EqualTo(hashes[0]));
            Assert.That(RecoveryCodes.TryHash(43, codes[0]), Is.Not.EqualTo(hashes[0]));
        });
    }

    [TestCase("")]
    [TestCase("abcd-efgh-jkmn-pqr")]
    [TestCase("abcd-efgh-jkmn-pqrst")]
    [TestCase("abcd-efgh-jkmn-pqr\u00e9")]
    [TestCase("abcd-efgh-jkmn-pqr\ud800")]
    public void Anything_else_is_no_code(string presented) => Assert.That(RecoveryCodes.TryHash(1, presented), Is.Null);

    [Test]
    public void The_roles_that_need_a_factor_default_to_admin_and_a_blank_entry_means_none()
    {
        Assert.Multiple(() =>
        {
            Assert.That(new MfaOptions().RequiredRoles, Is.EqualTo(new[] { Roles.Admin }));
            Assert.That(new MfaOptions { RequiredForRoles = [""] }.RequiredRoles, Is.Empty);
            Assert.That(new MfaOptions { RequiredForRoles = ["member", " admin "] }.IsRequiredFor(Roles.Admin), Is.True);
        });
    }
}
