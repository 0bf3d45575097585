using System.Net;
using System.Security.Cryptography;
using System.Text;
using Paseto.Auth.IntegrationTests.Support;
using Paseto.Auth.Paseto;

namespace Paseto.Auth.IntegrationTests.Users;

public sealed class PasswordPolicyTests : ApiTestBase
{
    [TestCase("password1234")]
    [TestCase("Qwertyuiop123")]
    public async Task A_common_password_is_refused_at_signup_without_echoing_it(string password)
    {
        var response = await Client.SignupAsync("alice", password: password);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "password" }));
        Assert.That(problem.ToString(), Does.Contain("common").And.Not.Contain(password));
    }

    [Test]
    public async Task A_common_password_is_refused_at_password_change()
    {
        var alice = await Client.MemberAsync("alice");

        var response = await Client.SendAsync(HttpMethod.Put, "/v1/users/me/password", alice.AccessToken,
            new { current_password = ApiClientExtensions.Password, new_password = "1qaz2wsx3edc" });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "new_password" }));
    }

    [Test]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350", Justification = "Breach corpora are published as SHA-1; the test writes one.")]
    public async Task The_operators_list_refuses_plain_and_sha1_entries()
    {
        var file = Path.GetTempFileName();
        var sha1 = Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes("leaked passphrase number one")));
        await File.WriteAllLinesAsync(file, ["summer vacation 2026", $"{sha1}:42"]);
        try
        {
            await using var factory = Factory.WithWebHostBuilder(b => b.UseSetting("Auth:Passwords:BlocklistFile", file));
            using var client = factory.CreateClient();

            var plain = await client.SignupAsync("alice", password: "summer vacation 2026");
            var hashed = await client.SignupAsync("alice", password: "leaked passphrase number one");
            var fine = await client.SignupAsync("alice", password: "an unlisted passphrase");

            await plain.AssertProblemAsync(HttpStatusCode.BadRequest);
            await hashed.AssertProblemAsync(HttpStatusCode.BadRequest);
            Assert.That(fine.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public async Task Pepper_rotation_rehashes_with_the_newest_pepper_at_login()
    {
        var oldPepper = SymmetricKey.Generate();
        var newPepper = SymmetricKey.Generate();
        await using var before = Factory.WithWebHostBuilder(b => b.UseSetting("Auth:Passwords:Peppers:0", oldPepper.ToPaserk()));
        using var beforeClient = before.CreateClient();
        await beforeClient.SignupOkAsync("alice");
        var oldHash = await ScalarAsync<string>("SELECT password FROM paseto_auth.users");

        await using var after = Factory.WithWebHostBuilder(b => b
            .UseSetting("Auth:Passwords:Peppers:0", newPepper.ToPaserk())
            .UseSetting("Auth:Passwords:Peppers:1", oldPepper.ToPaserk()));
        using var afterClient = after.CreateClient();
        await afterClient.LoginOkAsync("alice");
        var newHash = await ScalarAsync<string>("SELECT password FROM paseto_auth.users");

        Assert.That(oldHash, Does.Contain(",keyid="));
        Assert.That(newHash, Does.Contain(",keyid=").And.Not.EqualTo(oldHash));
        Assert.That(newHash.Split('$')[3], Is.Not.EqualTo(oldHash!.Split('$')[3]), "the keyid names the new pepper");
        Assert.That((await afterClient.LoginAsync("alice")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await Client.LoginAsync("alice")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "without the pepper the hash is useless");
    }
}
