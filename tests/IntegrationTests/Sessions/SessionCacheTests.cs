using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Infrastructure.Authentication;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Sessions;

/// <summary>
/// The session cache against the database it stands in for: two hosts on one database are two
/// instances, each with its cache and its listener. A change is "silent" when it is made with
/// the triggers off (<c>session_replication_role = replica</c>): no notification, as if it were
/// lost, so only the cache's own rules (flush on reconnect, expiry, the fill stamp) stand
/// between it and a stale answer.
/// </summary>
public sealed class SessionCacheTests : ApiTestBase
{
    private readonly Gate _gate = new();
    private WebApplicationFactory<Program> _other = null!;
    private HttpClient _otherClient = null!;

    [OneTimeSetUp]
    public void StartOtherInstance()
    {
        _other = Factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<SessionReader>();
            services.AddSingleton<ISessionReader>(sp => new GatedReader(sp.GetRequiredService<SessionReader>(), _gate));
        }));
        _otherClient = _other.CreateClient();
    }

    [OneTimeTearDown]
    public async Task StopOtherInstance()
    {
        _otherClient.Dispose();
        await _other.DisposeAsync();
    }

    [SetUp]
    public async Task BothCachesCurrent()
    {
        _gate.Hold = null;
        await WaitUntilAsync(() => Cache(Factory).IsCurrent && Cache(_other).IsCurrent, "both caches current");
    }

    [Test]
    public async Task A_remembered_session_is_answered_from_the_cache_until_a_change_is_notified()
    {
        var tokens = await Client.MemberAsync("alice");
        await AssertStatusAsync(Client, tokens, HttpStatusCode.OK);

        await SilentlyAsync("UPDATE paseto_auth.sessions SET revoked_at = now() WHERE id = $1", tokens.SessionId);

        await AssertStatusAsync(Client, tokens, HttpStatusCode.OK, "the cache answered: nothing told it of the change");
        await ScalarAsync<int>("UPDATE paseto_auth.sessions SET revoke_reason = 'logout' WHERE id = $1", tokens.SessionId);
        await AssertRefusedWithinGuaranteeAsync(Client, Factory, tokens);
    }

    [Test]
    public async Task The_instance_that_commits_a_logout_refuses_the_token_at_once_without_its_notification()
    {
        var tokens = await Client.MemberAsync("alice");
        await AssertStatusAsync(Client, tokens, HttpStatusCode.OK);

        // No trigger: only the committing instance's own drop can refuse the next request.
        await ScalarAsync<int>("ALTER TABLE paseto_auth.sessions DISABLE TRIGGER sessions_notify_cache_update");
        try
        {
            var logout = await Client.SendAsync(HttpMethod.Post, "/v1/logout", tokens.AccessToken);
            Assert.That(logout.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            await AssertStatusAsync(Client, tokens, HttpStatusCode.Unauthorized);
        }
        finally
        {
            await ScalarAsync<int>("ALTER TABLE paseto_auth.sessions ENABLE TRIGGER sessions_notify_cache_update");
        }
    }

    [Test]
    public async Task The_instance_that_commits_a_role_change_answers_with_the_new_role_at_once_without_its_notification()
    {
        await Client.SignupOkAsync("root");
        await ScalarAsync<int>("UPDATE paseto_auth.users SET role = 'admin' WHERE username = 'root'");
        var admin = await Client.LoginOkAsync("root");
        var member = await Client.MemberAsync("bob");
        Assert.That((await Client.GetAsync("/v1/users", member.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        await ScalarAsync<int>("ALTER TABLE paseto_auth.users DISABLE TRIGGER users_notify_cache_update");
        try
        {
            var promote = await Client.SendAsync(HttpMethod.Patch, "/v1/users/bob", admin.AccessToken, new { role = "admin" });
            Assert.That(promote.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await Client.GetAsync("/v1/users", member.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
        finally
        {
            await ScalarAsync<int>("ALTER TABLE paseto_auth.users ENABLE TRIGGER users_notify_cache_update");
        }
    }

    [Test]
    public async Task A_logout_on_one_instance_is_refused_by_the_other_within_the_guarantee()
    {
        var tokens = await Client.MemberAsync("alice");
        await AssertStatusAsync(_otherClient, tokens, HttpStatusCode.OK);
        await AssertStatusAsync(_otherClient, tokens, HttpStatusCode.OK);

        Assert.That((await Client.SendAsync(HttpMethod.Post, "/v1/logout", tokens.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        await AssertRefusedWithinGuaranteeAsync(_otherClient, _other, tokens);
    }

    [Test]
    public async Task A_revocation_of_another_session_on_one_instance_is_refused_by_the_other()
    {
        var phone = await Client.MemberAsync("alice");
        var laptop = await Client.LoginOkAsync("alice");
        await AssertStatusAsync(_otherClient, laptop, HttpStatusCode.OK);

        Assert.That((await Client.SendAsync(HttpMethod.Delete, $"/v1/sessions/{laptop.SessionId}", phone.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        await AssertRefusedWithinGuaranteeAsync(_otherClient, _other, laptop);
        await AssertStatusAsync(_otherClient, phone, HttpStatusCode.OK);
    }

    [Test]
    public async Task A_deactivation_by_an_admin_on_one_instance_is_refused_by_the_other()
    {
        var admin = await AdminAsync();
        var member = await Client.MemberAsync("bob");
        await AssertStatusAsync(_otherClient, member, HttpStatusCode.OK);

        // Deactivating revokes the sessions too; with that trigger off, the user row's notification alone must do.
        await ScalarAsync<int>("ALTER TABLE paseto_auth.sessions DISABLE TRIGGER sessions_notify_cache_update");
        try
        {
            var deactivate = await Client.SendAsync(HttpMethod.Patch, "/v1/users/bob", admin.AccessToken, new { is_active = false });
            Assert.That(deactivate.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            await AssertRefusedWithinGuaranteeAsync(_otherClient, _other, member);
        }
        finally
        {
            await ScalarAsync<int>("ALTER TABLE paseto_auth.sessions ENABLE TRIGGER sessions_notify_cache_update");
        }
    }

    [Test]
    public async Task A_role_change_on_one_instance_holds_on_the_other()
    {
        var admin = await AdminAsync();
        var member = await Client.MemberAsync("bob");
        Assert.That((await _otherClient.GetAsync("/v1/users", member.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        Assert.That((await Client.SendAsync(HttpMethod.Patch, "/v1/users/bob", admin.AccessToken, new { role = "admin" })).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        await WithinGuaranteeAsync(_other, async () => (await _otherClient.GetAsync("/v1/users", member.AccessToken)).StatusCode == HttpStatusCode.OK, "the new role");
    }

    [Test]
    public async Task A_password_change_on_one_instance_ends_the_other_sessions_on_the_other()
    {
        var current = await Client.MemberAsync("alice");
        var other = await Client.LoginOkAsync("alice");
        await AssertStatusAsync(_otherClient, other, HttpStatusCode.OK);
        await AssertStatusAsync(_otherClient, current, HttpStatusCode.OK);

        var change = await Client.SendAsync(HttpMethod.Put, "/v1/users/me/password", current.AccessToken,
            new { current_password = ApiClientExtensions.Password, new_password = "a completely new passphrase" });
        Assert.That(change.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        await AssertRefusedWithinGuaranteeAsync(_otherClient, _other, other);
        await AssertStatusAsync(_otherClient, current, HttpStatusCode.OK);
    }

    [Test]
    public async Task A_profile_edit_on_one_instance_shows_on_the_other()
    {
        var tokens = await Client.MemberAsync("alice");
        await AssertStatusAsync(_otherClient, tokens, HttpStatusCode.OK);

        Assert.That((await Client.SendAsync(HttpMethod.Patch, "/v1/users/me", tokens.AccessToken, new { firstname = "Alicia" })).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        await WithinGuaranteeAsync(_other, async () =>
            (await (await _otherClient.GetAsync("/v1/users/me", tokens.AccessToken)).Content.ReadAsStringAsync()).Contains("\"Alicia\"", StringComparison.Ordinal),
            "the new first name");
    }

    /// <summary>
    /// The read of the other instance is held after it has read the session alive; meanwhile the
    /// session is revoked and the notification applied. The read's answer (it began before the
    /// revocation) may be given, but must not be kept.
    /// </summary>
    [Test]
    public async Task A_read_that_began_before_a_revocation_is_not_kept()
    {
        var tokens = await Client.MemberAsync("alice");
        _gate.Hold = tokens.SessionId;
        var held = _otherClient.GetAsync("/v1/users/me", tokens.AccessToken);
        await _gate.Reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var applied = Cache(_other).Invalidations;

        await ScalarAsync<int>("UPDATE paseto_auth.sessions SET revoked_at = now() WHERE id = $1", tokens.SessionId);
        await WaitUntilAsync(() => Cache(_other).Invalidations > applied, "the other instance applied the revocation");
        _gate.Release.SetResult();

        Assert.That((await held).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the read began while the session was alive");
        _gate.Hold = null;
        await AssertStatusAsync(_otherClient, tokens, HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task An_expired_session_is_refused_from_the_cache_though_expiry_notifies_nothing()
    {
        var tokens = await Client.MemberAsync("alice");
        var applied = Cache(Factory).Invalidations;
        await ScalarAsync<int>("UPDATE paseto_auth.sessions SET expires_at = now() + interval '2 seconds' WHERE id = $1", tokens.SessionId);
        await WaitUntilAsync(() => Cache(Factory).Invalidations > applied, "the new expiry notified");
        await AssertStatusAsync(Client, tokens, HttpStatusCode.OK);
        await SilentlyAsync("UPDATE paseto_auth.sessions SET last_seen_at = now() WHERE id = $1", tokens.SessionId);
        await AssertStatusAsync(Client, tokens, HttpStatusCode.OK, "remembered with the new expiry");
        var expiresAt = await ScalarAsync<DateTime>("SELECT expires_at FROM paseto_auth.sessions WHERE id = $1", tokens.SessionId);

        await Task.Delay(expiresAt.ToUniversalTime() - DateTime.UtcNow + TimeSpan.FromMilliseconds(200));

        await AssertStatusAsync(Client, tokens, HttpStatusCode.Unauthorized);
    }

    /// <summary>
    /// The listener's backend is killed, and for a while every new one too, so it stays down:
    /// the cache is not trusted meanwhile (a session revoked silently then is refused at once),
    /// and once it listens again it has flushed (a silent revocation from before is refused too).
    /// </summary>
    [Test]
    public async Task A_killed_listener_bypasses_the_cache_until_it_has_listened_again_and_flushed()
    {
        var before = await Client.MemberAsync("alice");
        var during = await Client.LoginOkAsync("alice");
        await AssertStatusAsync(Client, before, HttpStatusCode.OK);
        await SilentlyAsync("UPDATE paseto_auth.sessions SET revoked_at = now() WHERE id = $1", before.SessionId);
        await AssertStatusAsync(Client, before, HttpStatusCode.OK, "remembered");
        var listener = Factory.Services.GetRequiredService<SessionCacheListener>();
        var connections = listener.Connections;

        using var killing = new CancellationTokenSource();
        var killer = KeepKillingListenersAsync(killing.Token);
        try
        {
            await WaitUntilAsync(() => !Cache(Factory).IsCurrent, "the cache is no longer current");
            await AssertStatusAsync(Client, during, HttpStatusCode.OK);
            await SilentlyAsync("UPDATE paseto_auth.sessions SET revoked_at = now() WHERE id = $1", during.SessionId);
            await AssertStatusAsync(Client, during, HttpStatusCode.Unauthorized, "read from the database while the listener is down");
            await AssertStatusAsync(Client, before, HttpStatusCode.Unauthorized, "read from the database while the listener is down");
            Assert.That(Cache(Factory).IsCurrent, Is.False, "still down");
        }
        finally
        {
            await killing.CancelAsync();
            await killer;
        }

        await WaitUntilAsync(() => listener.Connections > connections && Cache(Factory).IsCurrent, "listening again");
        await AssertStatusAsync(Client, before, HttpStatusCode.Unauthorized, "flushed after the reconnect");
        var fresh = await Client.LoginOkAsync("alice");
        await AssertStatusAsync(Client, fresh, HttpStatusCode.OK);
    }

    private async Task KeepKillingListenersAsync(CancellationToken stop)
    {
        var database = new NpgsqlConnectionStringBuilder(Factory.ConnectionString).Database;
        while (!stop.IsCancellationRequested)
        {
            await ScalarAsync<long>(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1 AND datname = $2",
                SessionCacheListener.ApplicationName, database!);
            await Task.Delay(20, CancellationToken.None);
        }
    }

    private async Task<Tokens> AdminAsync()
    {
        await Client.SignupOkAsync("root");
        await ScalarAsync<int>("UPDATE paseto_auth.users SET role = 'admin' WHERE username = 'root'");
        return await Client.LoginOkAsync("root");
    }

    private Task SilentlyAsync(string sql, Guid sessionId) => SilentlyAsync(Database, sql, sessionId);

    /// <summary>Runs <paramref name="sql"/> with the triggers off: the change notifies no one.</summary>
    internal static async Task SilentlyAsync(NpgsqlDataSource database, string sql, Guid sessionId)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var off = new NpgsqlCommand("SET LOCAL session_replication_role = replica", connection, transaction))
        {
            await off.ExecuteNonQueryAsync();
        }

        await using (var change = new NpgsqlCommand(sql, connection, transaction) { Parameters = { new() { Value = sessionId } } })
        {
            Assert.That(await change.ExecuteNonQueryAsync(), Is.EqualTo(1));
        }

        await transaction.CommitAsync();
    }

    private static Task AssertRefusedWithinGuaranteeAsync(HttpClient client, WebApplicationFactory<Program> host, Tokens tokens) =>
        SessionCacheWait.UntilRefusedAsync(host, client, tokens.AccessToken);

    private static Task WithinGuaranteeAsync(WebApplicationFactory<Program> host, Func<Task<bool>> holds, string what) =>
        SessionCacheWait.WithinGuaranteeAsync(host, holds, what);

    private static async Task AssertStatusAsync(HttpClient client, Tokens tokens, HttpStatusCode expected, string? because = null) =>
        Assert.That((await client.GetAsync("/v1/users/me", tokens.AccessToken)).StatusCode, Is.EqualTo(expected), because);

    private static SessionCache Cache(WebApplicationFactory<Program> host) => host.Services.GetRequiredService<SessionCache>();

    private static Task WaitUntilAsync(Func<bool> condition, string what) => WaitUntilAsync(() => Task.FromResult(condition()), what);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.That(deadline.Elapsed, Is.LessThan(TimeSpan.FromSeconds(30)), "waited for: " + what);
            await Task.Delay(10);
        }
    }

    /// <summary>Holds the read of one session after the database answered, until released.</summary>
    private sealed class Gate
    {
        public Guid? Hold { get; set; }

        public TaskCompletionSource Reached { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task PassAsync(Guid sessionId)
        {
            if (Hold != sessionId)
            {
                return;
            }

            var release = Release;
            Reached.TrySetResult();
            await release.Task;
            Reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
            Release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    private sealed class GatedReader(SessionReader inner, Gate gate) : ISessionReader
    {
        public async Task<SessionRead?> ReadAsync(AccessTokenSubject subject, DateTimeOffset now, CancellationToken cancellationToken)
        {
            var read = await inner.ReadAsync(subject, now, cancellationToken);
            await gate.PassAsync(subject.SessionId);
            return read;
        }
    }
}

/// <summary>With <c>Auth:SessionCache:Enabled</c> false, every request reads the database: a silent change holds at once.</summary>
public sealed class SessionCacheOffTests : ApiTestBase
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Auth:SessionCache:Enabled"] = "false",
    };

    [Test]
    public async Task Every_request_reads_the_database()
    {
        var tokens = await Client.MemberAsync("alice");
        Assert.That((await Client.GetAsync("/v1/users/me", tokens.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        await SessionCacheTests.SilentlyAsync(Database, "UPDATE paseto_auth.sessions SET revoked_at = now() WHERE id = $1", tokens.SessionId);

        Assert.That((await Client.GetAsync("/v1/users/me", tokens.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(Factory.Services.GetRequiredService<SessionCache>().IsCurrent, Is.False, "no listener runs");
    }
}
