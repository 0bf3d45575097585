using System.Text;

namespace Paseto.Auth.Paseto.Tests;

public sealed class PaeTests
{
    [Test]
    public void Pae_of_no_pieces_is_a_zero_count()
    {
        Assert.That(Pae.Encode(), Is.EqualTo(new byte[8]));
    }

    [Test]
    public void Pae_of_one_empty_piece_is_count_one_and_length_zero()
    {
        Assert.That(Convert.ToHexString(Pae.Encode([[]])), Is.EqualTo("0100000000000000" + "0000000000000000"));
    }

    [Test]
    public void Pae_of_test_matches_the_spec_example()
    {
        var expected = Convert.FromHexString("0100000000000000" + "0400000000000000").Concat("test"u8.ToArray());

        Assert.That(Pae.Encode(Encoding.ASCII.GetBytes("test")), Is.EqualTo(expected));
    }

    [Test]
    public void Pae_separates_pieces_that_concatenate_to_the_same_bytes()
    {
        var ab = Pae.Encode("a"u8.ToArray(), "b"u8.ToArray());
        var a_b = Pae.Encode("ab"u8.ToArray(), []);

        Assert.That(ab, Is.Not.EqualTo(a_b));
    }
}
