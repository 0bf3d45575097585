using Paseto.Auth.Application.Common;

namespace Paseto.Auth.UnitTests.Application;

public sealed class OpaqueTokenTests
{
    [Test]
    public void A_created_token_hashes_to_its_stored_hash()
    {
        var (token, hash) = OpaqueToken.Create();

        Assert.That(OpaqueToken.TryHash(token, out var again), Is.True);
        Assert.That(again, Is.EqualTo(hash));
        Assert.That(token, Has.Length.EqualTo(OpaqueToken.EncodedLength));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("short")]
    [TestCase("%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB")]
    public void Anything_that_is_not_one_of_our_tokens_is_refused_without_throwing(string? token)
    {
        Assert.That(OpaqueToken.TryHash(token, out _), Is.False);
    }
}
