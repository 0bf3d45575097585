using System.Net;
using Npgsql;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Users;

/// <summary>
/// Logins with the old password that race a password change or a deactivation: whichever way the
/// race goes, none may leave a session alive after the change.
/// </summary>
public sealed class CredentialChangeRaceTests : ApiTestBase
{
    private const int Rounds = 8;
    private const int LoginsPerRound = 10;

    // Neither the session limit nor the throttle may be what refuses a racing login here.
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Auth:Sessions:MaxActive"] = "1000",
        ["Auth:Throttling:FreeFailures"] = "1000",
        ["Auth:Throttling:AccountFailuresPerHour"] = "1000",
    };

    private static string PasswordOfRound(int round) => $"passphrase of round {round:D2} here";

    private async Task<List<Guid>> AliveSessionsAsync(string username)
    {
        await using var command = Database.CreateCommand("""
            SELECT s.id FROM paseto_auth.sessions s JOIN paseto_auth.users u ON u.id = s.user_id
            WHERE u.username = $1 AND s.revoked_at IS NULL
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = username });
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    /// <summary>Starts a burst of logins with <paramref name="password"/>, then <paramref name="change"/> while they run.</summary>
    private async Task<(HttpResponseMessage Change, HttpResponseMessage[] Logins)> RaceAsync(string password, Func<Task<HttpResponseMessage>> change)
    {
        var logins = Enumerable.Range(0, LoginsPerRound).Select(i => Client.LoginFromAsync($"198.51.100.{i + 1}", "alice", password)).ToArray();
        var changed = await change();
        return (changed, await Task.WhenAll(logins));
    }

    [Test]
    public async Task No_login_with_the_old_password_keeps_a_session_after_a_password_change()
    {
        await Client.SignupOkAsync("alice", password: PasswordOfRound(0));
        var (before, refused) = (0, 0);
        for (var round = 0; round < Rounds; round++)
        {
            var changer = await Client.LoginOkAsync("alice", PasswordOfRound(round));
            var (change, logins) = await RaceAsync(PasswordOfRound(round), () => Client.SendAsync(HttpMethod.Put, "/v1/users/me/password", changer.AccessToken,
                new { current_password = PasswordOfRound(round), new_password = PasswordOfRound(round + 1) }));

            Assert.That(change.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await change.Content.ReadAsStringAsync());
            Assert.That(logins.Select(l => l.StatusCode), Has.All.AnyOf(HttpStatusCode.OK, HttpStatusCode.Unauthorized));
            Assert.That(await AliveSessionsAsync("alice"), Is.EqualTo(new[] { changer.SessionId }),
                $"round {round}: only the session that made the change is alive");
            before += logins.Count(l => l.StatusCode == HttpStatusCode.OK);
            refused += logins.Count(l => l.StatusCode == HttpStatusCode.Unauthorized);
        }

        TestContext.Out.WriteLine($"old-password logins: {before} started their session before the change (and lost it), {refused} were refused");
        Assert.That((await Client.LoginAsync("alice", PasswordOfRound(Rounds - 1))).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await Client.LoginAsync("alice", PasswordOfRound(Rounds))).StatusCode, Is.EqualTo(HttpStatusCode.OK),
            "no racing login wrote the old password back");
    }

    [Test]
    public async Task No_login_racing_a_deactivation_keeps_a_session()
    {
        await Client.SignupOkAsync("alice");
        await Client.SignupOkAsync("root");
        await ScalarAsync<int>("UPDATE paseto_auth.users SET role = 'admin' WHERE username = 'root'");
        var admin = await Client.LoginOkAsync("root");
        for (var round = 0; round < Rounds; round++)
        {
            var self = await Client.LoginOkAsync("alice");
            var (change, _) = await RaceAsync(ApiClientExtensions.Password, () => Client.SendAsync(HttpMethod.Post, "/v1/users/me/deactivate", self.AccessToken,
                new { password = ApiClientExtensions.Password }));

            Assert.That(change.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await change.Content.ReadAsStringAsync());
            Assert.That(await AliveSessionsAsync("alice"), Is.Empty, $"round {round}");
            Assert.That((await Client.SendAsync(HttpMethod.Patch, "/v1/users/alice", admin.AccessToken, new { is_active = true })).StatusCode,
                Is.EqualTo(HttpStatusCode.OK));
        }
    }
}
