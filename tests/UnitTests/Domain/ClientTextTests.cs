using Paseto.Auth.Domain;

namespace Paseto.Auth.UnitTests.Domain;

public sealed class ClientTextTests
{
    [TestCase("abcd", 4, "abcd")]
    [TestCase("abcde", 4, "abcd")]
    [TestCase("abc\U0001F600", 4, "abc")]
    [TestCase("ab\U0001F600", 4, "ab\U0001F600")]
    [TestCase("ab\U0001F600z", 4, "ab\U0001F600")]
    [TestCase("\U0001F600\U0001F600", 3, "\U0001F600")]
    public void Text_is_cut_between_characters(string value, int maxLength, string expected) =>
        Assert.That(ClientText.Truncate(value, maxLength), Is.EqualTo(expected));

    [Test]
    public void Null_stays_null() => Assert.That(ClientText.Truncate(null, 4), Is.Null);
}
