using Paseto.Auth.Api.Requests;

namespace Paseto.Auth.UnitTests.Posts;

public sealed class PostETagTests
{
    private static IReadOnlySet<int>? Read(string value, int id = 0)
    {
        Assert.That(PostETag.TryReadIfMatch(value, id, out var versions), Is.True, value);
        return versions;
    }

    [Test]
    public void The_tag_is_strong_and_names_the_id_and_the_version() =>
        Assert.That(PostETag.Format(12, 3), Is.EqualTo("\"12-3\""));

    [TestCase("*")]
    [TestCase(" * ")]
    [TestCase("\"0-1\"")]
    [TestCase("W/\"0-1\"")]
    [TestCase("\"a\", \"b\"")]
    [TestCase("\"a\",\"b\" ,\t\"c\"")]
    [TestCase(", \"a\",,")]
    [TestCase("\"\"")]
    public void Well_formed_values_parse(string value) =>
        Assert.That(PostETag.TryReadIfMatch(value, 0, out _), Is.True);

    [TestCase("")]
    [TestCase("  ")]
    [TestCase(",")]
    [TestCase("0-1")]
    [TestCase("\"0-1")]
    [TestCase("\"0-1\" x")]
    [TestCase("\"0-1\"\"0-2\"")]
    [TestCase("*, \"0-1\"")]
    [TestCase("w/\"0-1\"")]
    [TestCase("\"with space\"")]
    [TestCase("\"bad\u0001\"")]
    [TestCase("\"wide\u20ac\"")]
    public void Malformed_values_do_not_parse(string value) =>
        Assert.That(PostETag.TryReadIfMatch(value, 0, out _), Is.False);

    [Test]
    public void No_header_and_a_star_let_the_change_apply_to_any_version()
    {
        Assert.That(PostETag.TryReadIfMatch(null, 0, out var none), Is.True);
        Assert.That(none, Is.Null);
        Assert.That(Read("*"), Is.Null);
    }

    [Test]
    public void A_list_names_the_versions_of_its_strong_tags() =>
        Assert.That(Read("\"0-1\", \"0-2\""), Is.EquivalentTo(new[] { 1, 2 }));

    [Test]
    public void A_weak_tag_names_no_version_even_the_current_one() =>
        Assert.That(Read("W/\"0-1\""), Is.Empty);

    [TestCase("\"1-2\"")]
    [TestCase("\"12-2\"")]
    [TestCase("\"22-2\"")]
    [TestCase("\"2-02\"")]
    [TestCase("\"2-+2\"")]
    [TestCase("\"2--1\"")]
    [TestCase("\"2-99999999999\"")]
    [TestCase("\"2-\"")]
    [TestCase("\"a\"")]
    public void A_tag_that_is_not_exactly_this_post_s_tag_names_no_version(string value) =>
        Assert.That(Read(value, id: 2), Is.Empty);

    [TestCase("\"1-2\"", true)]
    [TestCase("W/\"1-2\"", true)]
    [TestCase("\"1-1\", W/\"1-2\"", true)]
    [TestCase("*", true)]
    [TestCase("\"1-1\"", false)]
    [TestCase("\"2-2\"", false)]
    [TestCase("1-2", false)]
    [TestCase("\"1-2\" x", false)]
    [TestCase("", false)]
    public void If_none_match_names_the_current_tag_under_the_weak_comparison(string value, bool names) =>
        Assert.That(PostETag.IfNoneMatchNames(value, 1, 2), Is.EqualTo(names));
}
