using Paseto.Auth.Application.Posts;
using Paseto.Auth.Domain.Posts;

namespace Paseto.Auth.UnitTests.Posts;

public sealed class PostETagTests
{
    private static IfMatch Parse(string value)
    {
        Assert.That(PostETag.TryParseIfMatch(value, out var condition), Is.True, value);
        return condition;
    }

    private static Post PostAtVersion(int version)
    {
        var post = Post.Create(1, "Title", "Body", DateTimeOffset.UnixEpoch);
        for (var v = 1; v < version; v++)
        {
            post.Edit($"Title {v}", null, DateTimeOffset.UnixEpoch);
        }

        return post;
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
        Assert.That(PostETag.TryParseIfMatch(value, out _), Is.True);

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
        Assert.That(PostETag.TryParseIfMatch(value, out _), Is.False);

    [Test]
    public void A_list_matches_when_one_strong_tag_is_the_current_one()
    {
        var post = PostAtVersion(2);

        var condition = Parse("\"0-1\", \"0-2\"");

        Assert.That(condition.Matches(post), Is.True);
        Assert.That(condition.IsAny, Is.False);
    }

    [Test]
    public void A_weak_tag_never_matches_even_with_the_current_version()
    {
        var condition = Parse("W/\"0-1\"");

        Assert.That(condition.Matches(PostAtVersion(1)), Is.False);
    }

    [Test]
    public void A_stale_tag_does_not_match()
    {
        var condition = Parse("\"0-1\"");

        Assert.That(condition.Matches(PostAtVersion(2)), Is.False);
    }

    [Test]
    public void A_star_matches_any_post()
    {
        var condition = Parse("*");

        Assert.That(condition.IsAny, Is.True);
        Assert.That(condition.Matches(PostAtVersion(7)), Is.True);
    }

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
