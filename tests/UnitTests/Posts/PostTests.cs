using Paseto.Auth.Application.Common;
using Paseto.Auth.Domain.Posts;

namespace Paseto.Auth.UnitTests.Posts;

public sealed class PostTests
{
    private static readonly DateTimeOffset _now = new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero).AddTicks(1234567);

    [Test]
    public void A_new_post_is_version_1_with_times_cut_to_microseconds_as_postgresql_keeps_them()
    {
        var post = Post.Create(7, "Title", "Body", _now);

        Assert.That(post.Version, Is.EqualTo(1));
        Assert.That(post.CreatedAt.UtcTicks, Is.EqualTo(_now.UtcTicks - 7));
        Assert.That(post.UpdatedAt, Is.EqualTo(post.CreatedAt));
    }

    [Test]
    public void An_edit_that_changes_something_moves_the_version_and_updated_at()
    {
        var post = Post.Create(7, "Title", "Body", _now);

        var changed = post.Edit(null, "New body", _now.AddMinutes(1));

        Assert.That(changed, Is.True);
        Assert.That(post.Version, Is.EqualTo(2));
        Assert.That(post.Title, Is.EqualTo("Title"));
        Assert.That(post.Body, Is.EqualTo("New body"));
        Assert.That(post.UpdatedAt, Is.GreaterThan(post.CreatedAt));
    }

    [Test]
    public void An_edit_that_changes_nothing_keeps_the_version()
    {
        var post = Post.Create(7, "Title", "Body", _now);

        var changed = post.Edit("Title", "Body", _now.AddMinutes(1));

        Assert.That(changed, Is.False);
        Assert.That(post.Version, Is.EqualTo(1));
        Assert.That(post.UpdatedAt, Is.EqualTo(post.CreatedAt));
    }

    [TestCase("abc", 3)]
    [TestCase("😀😀", 2)]
    [TestCase("e\u0301", 2)]
    [TestCase("", 0)]
    public void Characters_are_counted_as_code_points(string text, int expected) =>
        Assert.That(TextRules.CountCharacters(text), Is.EqualTo(expected));

    [TestCase("line\nline\r\n\ttab", true)]
    [TestCase("emoji 😀", true)]
    [TestCase("nul \0", false)]
    [TestCase("escape \u001b", false)]
    [TestCase("C1 \u0085", false)]
    public void Multiline_text_allows_only_tab_and_line_breaks_among_control_characters(string text, bool expected) =>
        Assert.That(TextRules.IsMultiline(text), Is.EqualTo(expected));

    [Test]
    public void Multiline_text_refuses_lone_surrogates()
    {
        // Built here: an attribute argument cannot carry a lone surrogate.
        Assert.That(TextRules.IsMultiline("lone " + (char)0xD800), Is.False);
        Assert.That(TextRules.IsMultiline("lone " + (char)0xDC00 + " low"), Is.False);
    }
}
