using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Paseto.Auth.Infrastructure.Authentication;
using Paseto.Auth.IntegrationTests.Email;
using Paseto.Auth.IntegrationTests.Posts;
using Paseto.Auth.IntegrationTests.Support;
using Paseto.Auth.SystemTests.Support;

namespace Paseto.Auth.SystemTests.Cluster;

/// <summary>
/// The topology of docs/operations.md ("Behind PgBouncer"): two instances behind nginx, their
/// database connections through PgBouncer in transaction pooling (Debian's 1.18, started here),
/// their session caches' LISTEN on a direct connection of its own
/// (<c>ConnectionStrings:PostgresListen</c>). The schema itself is migrated through PgBouncer, as
/// the docs tell operators. Every kind of statement the service sends goes through the pooler:
/// signup and the mail outbox (<c>FOR UPDATE SKIP LOCKED</c> held over the SMTP send), login and
/// its throttle counters, refresh rotation under a race, logout seen by the other instance,
/// posts with <c>If-Match</c>, sessions and the admin's levers, the retention cleanup's
/// transaction-scoped advisory lock.
/// </summary>
public sealed class PgBouncerTests
{
    /// <summary>Smaller than the clients the instances open under the burst, so pooling shows.</summary>
    private const int PoolSize = 4;

    private readonly List<ApiProcess> _apis = [];
    private PgBouncer _bouncer = null!;
    private MailSink _mail = null!;
    private NpgsqlDataSource _database = null!;
    private string _direct = null!;
    private string _pooled = null!;
    private string _state = null!;
    private Uri _proxy = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _direct = await TestPostgres.CreateEmptyDatabaseAsync();
        _database = NpgsqlDataSource.Create(_direct);
        _bouncer = await PgBouncer.StartAsync(TestPostgres.ServerConnectionString, PoolSize);
        _pooled = _bouncer.ConnectionStringFor(new NpgsqlConnectionStringBuilder(_direct).Database!);
        var migrate = await ApiProcess.RunToExitAsync("migrate", _pooled);
        Assert.That(migrate.ExitCode, Is.Zero, migrate.Output + migrate.Error);

        _mail = new MailSink();
        await _mail.StartAsync();
        var ports = new List<int>();
        for (var i = 0; i < 2; i++)
        {
            // Below the ephemeral range and after ClusterTests' ports (29280 up).
            ports.Add(LoopbackPort.FreeBelowEphemeralRange(29380, ports));
        }

        _apis.AddRange(await Task.WhenAll(ports.Select(port => ApiProcess.StartAsync(_pooled, Settings(listen: _direct), port))));
        _state = Directory.CreateTempSubdirectory("paseto-auth-pgbouncer-cluster-").FullName;
        _proxy = new Uri((await ClusterAsync("proxy-start", [.. ports.Select(p => p.ToString(CultureInfo.InvariantCulture))])).Trim());
        _client = new HttpClient { BaseAddress = _proxy, Timeout = TimeSpan.FromSeconds(30) };
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _client?.Dispose();
        if (_state is not null)
        {
            await ClusterAsync("proxy-stop", []);
            Directory.Delete(_state, recursive: true);
        }

        foreach (var api in _apis)
        {
            await api.DisposeAsync();
        }

        if (_mail is not null)
        {
            await _mail.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        if (_bouncer is not null)
        {
            await _bouncer.DisposeAsync();
        }
    }

    [Test]
    public async Task Signup_mail_verification_login_refresh_and_logout_work_through_pgbouncer()
    {
        await _client.SignupOkAsync("pgb_alice");
        var mail = await _mail.WaitForAsync("pgb_alice@example.test", "Confirm your email address");
        var verify = await _client.PostAsJsonAsync("/v1/email/verify", new { token = EmailTestBase.TokenOf(mail, "verify-email") });
        Assert.That(verify.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await verify.Content.ReadAsStringAsync());

        var tokens = await _client.LoginOkAsync("pgb_alice");
        var profile = await (await _client.GetAsync("/v1/users/me", tokens.AccessToken)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(profile.GetProperty("email_verified").GetBoolean(), Is.True, profile.ToString());
        var refresh = await _client.PostAsJsonAsync("/v1/token/refresh", new { refresh_token = tokens.RefreshToken });
        Assert.That(refresh.StatusCode, Is.EqualTo(HttpStatusCode.OK), await refresh.Content.ReadAsStringAsync());
        var rotated = await ApiClientExtensions.ReadTokensAsync(refresh);
        await AssertOnEveryInstanceAsync(rotated.AccessToken, HttpStatusCode.OK);

        using var first = _apis[0].CreateClient();
        Assert.That((await first.SendAsync(HttpMethod.Post, "/v1/logout", rotated.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        await AssertOnEveryInstanceAsync(rotated.AccessToken, HttpStatusCode.Unauthorized);
        await (await _client.PostAsJsonAsync("/v1/token/refresh", new { refresh_token = rotated.RefreshToken })).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task Racing_refreshes_of_one_token_through_pgbouncer_issue_at_most_one_pair_and_revoke_the_session()
    {
        var tokens = await _client.MemberAsync("pgb_racer");

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            _client.PostAsJsonAsync("/v1/token/refresh", new { refresh_token = tokens.RefreshToken })));

        var statuses = responses.Select(r => r.StatusCode).ToArray();
        Assert.That(statuses, Has.All.AnyOf(HttpStatusCode.OK, HttpStatusCode.Unauthorized));
        Assert.That(statuses.Count(s => s == HttpStatusCode.OK), Is.LessThanOrEqualTo(1));
        AssertSpread(responses);
        Assert.That(await _database.ScalarAsync<string>("SELECT revoke_reason FROM paseto_auth.sessions WHERE id = $1", tokens.SessionId),
            Is.EqualTo("refresh_token_reuse"));
        await AssertOnEveryInstanceAsync(tokens.AccessToken, HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task Login_failures_through_pgbouncer_add_up_to_a_429()
    {
        // Free failures: 2 (Settings); the third blocks this client's address (as nginx forwards it).
        await _client.SignupOkAsync("pgb_guessed");
        using var attacker = LoopbackClient.From("127.0.0.4", _proxy);
        var failures = new List<HttpResponseMessage>();
        for (var i = 0; i < 3; i++)
        {
            failures.Add(await attacker.LoginAsync("pgb_guessed", "wrong password here"));
        }

        Assert.That(failures.Select(r => r.StatusCode), Has.All.EqualTo(HttpStatusCode.Unauthorized));
        AssertSpread(failures);
        var blocked = await attacker.LoginAsync("pgb_guessed");
        await blocked.AssertProblemAsync(HttpStatusCode.TooManyRequests);
    }

    [Test]
    public async Task Posts_with_if_match_work_through_pgbouncer()
    {
        var tokens = await _client.MemberAsync("pgb_author");
        var created = await _client.CreatePostAsync(tokens.AccessToken, "Pooled");
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).Id();
        var etag = created.ETag();

        var edited = await _client.PatchPostAsync(tokens.AccessToken, id, new { title = "Pooled, edited" }, etag);
        Assert.That(edited.StatusCode, Is.EqualTo(HttpStatusCode.OK), await edited.Content.ReadAsStringAsync());
        await (await _client.PatchPostAsync(tokens.AccessToken, id, new { title = "Stale" }, etag)).AssertProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.That((await _client.GetPostOkAsync(tokens.AccessToken, id)).GetProperty("title").GetString(), Is.EqualTo("Pooled, edited"));
        var (ids, _) = await _client.ListPostsOkAsync(tokens.AccessToken, "?limit=5");
        Assert.That(ids, Does.Contain(id));

        Assert.That((await _client.DeletePostAsync(tokens.AccessToken, id, edited.ETag())).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await _client.GetAsync($"/v1/posts/{id}", tokens.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Sessions_the_admin_levers_and_the_retention_cleanup_work_through_pgbouncer()
    {
        await _client.SignupOkAsync("pgb_admin");
        await _database.ScalarAsync<int>("UPDATE paseto_auth.users SET role = 'admin' WHERE username = $1", "pgb_admin");
        var admin = await _client.LoginOkAsync("pgb_admin");
        var phone = await _client.MemberAsync("pgb_member");
        var laptop = await _client.LoginOkAsync("pgb_member");

        var own = await (await _client.GetAsync("/v1/sessions", laptop.AccessToken)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(own.GetProperty("items").GetArrayLength(), Is.EqualTo(2), own.ToString());
        Assert.That((await _client.SendAsync(HttpMethod.Delete, $"/v1/sessions/{phone.SessionId}", laptop.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await AssertOnEveryInstanceAsync(phone.AccessToken, HttpStatusCode.Unauthorized);

        var listed = await _client.GetAsync("/v1/users/pgb_member/sessions", admin.AccessToken);
        Assert.That(listed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await listed.Content.ReadAsStringAsync());
        var items = (await listed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray().Select(s => s.GetProperty("id").GetGuid());
        Assert.That(items, Is.EqualTo(new[] { laptop.SessionId }));
        Assert.That((await _client.SendAsync(HttpMethod.Delete, "/v1/users/pgb_member/sessions", admin.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await AssertOnEveryInstanceAsync(laptop.AccessToken, HttpStatusCode.Unauthorized);
        Assert.That(await _database.ScalarAsync<long>(
            "SELECT count(*) FROM paseto_auth.security_events e JOIN paseto_auth.users u ON u.id = e.user_id WHERE u.username = $1 AND e.type = 'sessions_revoked_by_admin'",
            "pgb_member"), Is.EqualTo(1));

        // Ended sessions are kept 2 s here and the cleanup runs every second (Settings).
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await _database.ScalarAsync<long>("SELECT count(*) FROM paseto_auth.sessions WHERE id = ANY($1)", new[] { phone.SessionId, laptop.SessionId }) > 0)
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the retention cleanup did not delete the ended sessions");
            await Task.Delay(200);
        }
    }

    /// <summary>
    /// A burst of parallel requests opens more client connections to PgBouncer than its pool
    /// holds, and PostgreSQL sees no more than the pool's server connections for the database,
    /// beside the session caches' direct ones: no other connection of the service goes around
    /// the pooler.
    /// </summary>
    [Test]
    public async Task PgBouncer_pools_the_connections_and_only_the_cache_listeners_go_around_it()
    {
        var members = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => _client.MemberAsync($"pgb_burst{i}")));
        using var stop = new CancellationTokenSource();
        var samples = new ConcurrentQueue<(int Clients, int Servers)>();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var pool = (await _bouncer.ShowAsync("POOLS")).Single(p => p["database"] == DatabaseName);
                samples.Enqueue((Count(pool, "cl_active") + Count(pool, "cl_waiting"), Count(pool, "sv_active") + Count(pool, "sv_idle") + Count(pool, "sv_used") + Count(pool, "sv_tested") + Count(pool, "sv_login")));
            }
        });

        var answers = await Task.WhenAll(Enumerable.Range(0, 400).Select(i => _client.GetAsync(i % 2 == 0 ? "/v1/users/me" : "/v1/sessions", members[i % members.Length].AccessToken)));
        await stop.CancelAsync();
        await sampler;

        Assert.That(answers.Select(a => a.StatusCode), Has.All.EqualTo(HttpStatusCode.OK));
        AssertSpread(answers);
        Assert.That(samples.Max(s => s.Servers), Is.InRange(1, PoolSize), "server connections for the database");
        Assert.That(samples.Max(s => s.Clients), Is.GreaterThan(PoolSize), "client connections PgBouncer multiplexed onto them");

        var servers = (await _bouncer.ShowAsync("SERVERS")).Where(s => s["database"] == DatabaseName).Select(s => int.Parse(s["local_port"], CultureInfo.InvariantCulture)).ToHashSet();
        var backends = new List<(string Application, int Port)>();
        await using (var query = _database.CreateCommand(
            "SELECT application_name, client_port FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"))
        await using (var reader = await query.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                backends.Add((reader.GetString(0), reader.GetInt32(1)));
            }
        }

        var around = backends.Where(b => !servers.Contains(b.Port)).ToArray();
        Assert.That(around.Select(b => b.Application), Has.All.EqualTo(SessionCacheListener.ApplicationName),
            "every connection that does not come from PgBouncer is a session cache's");
        Assert.That(around, Has.Length.EqualTo(2 * _apis.Count), "the listening and the heartbeat connection of each instance");
        var stats = (await _bouncer.ShowAsync("STATS")).Single(s => s["database"] == DatabaseName);
        Assert.That(long.Parse(stats["total_xact_count"], CultureInfo.InvariantCulture), Is.GreaterThan(400), "the requests' transactions went through PgBouncer");
    }

    /// <summary>
    /// An instance whose session cache would LISTEN through the pooler (no
    /// <c>ConnectionStrings:PostgresListen</c>) cannot hear notifications: PgBouncer hands the
    /// LISTENing server connection to other clients after the statement. It never trusts its cache
    /// (its heartbeats never come back), so it reads every session from the database, and it says
    /// in its log which setting is wrong. A revocation made with the triggers off (a lost
    /// notification) shows the difference: the correctly wired instance answers it from its cache,
    /// the other refuses it.
    /// </summary>
    [Test]
    public async Task An_instance_whose_listen_goes_through_pgbouncer_never_trusts_its_cache_and_says_so()
    {
        await using var misconfigured = await ApiProcess.StartAsync(_pooled, Settings(listen: null));
        await _client.SignupOkAsync("pgb_listen");
        using var wired = _apis[0].CreateClient();
        using var pooledOnly = misconfigured.CreateClient();
        // Long enough for a heartbeat to have come back many times, were it going to.
        await Task.Delay(new SessionCacheOptions().Guarantee * 10);
        var staleFromWiredCache = false;
        // The wired instance shows its cache only while its heartbeats are on time, which a loaded
        // machine can delay (it then flushes, and reads the database too): a few trials, each with
        // a session of its own; the misconfigured instance must refuse in every one.
        for (var trial = 0; trial < 5 && !staleFromWiredCache; trial++)
        {
            var tokens = await _client.LoginOkAsync("pgb_listen");
            foreach (var client in new[] { wired, pooledOnly, wired, pooledOnly })
            {
                Assert.That((await client.GetAsync("/v1/users/me", tokens.AccessToken)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            }

            await RevokeWithoutNotificationAsync(tokens.SessionId);

            await (await pooledOnly.GetAsync("/v1/users/me", tokens.AccessToken)).AssertProblemAsync(HttpStatusCode.Unauthorized);
            staleFromWiredCache = (await wired.GetAsync("/v1/users/me", tokens.AccessToken)).StatusCode == HttpStatusCode.OK;
        }

        Assert.That(staleFromWiredCache, Is.True,
            "the instance with a direct listening connection trusts its cache, so a lost notification shows there");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!misconfigured.Output.Any(line => line.Contains("ConnectionStrings:PostgresListen", StringComparison.Ordinal)))
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the log names the setting:\n" + string.Join("\n", misconfigured.Output));
            await Task.Delay(200);
        }

        Assert.That(_apis[0].Output.Any(line => line.Contains("ConnectionStrings:PostgresListen", StringComparison.Ordinal)), Is.False,
            "a correctly wired instance does not complain");
    }

    /// <summary>
    /// An instance behind PgBouncer whose connection string leaves automatic preparation on (the
    /// service's default): a statement Npgsql prepared on one server connection is missing on the
    /// next, or already there (SQLSTATE 26000, 42P05). Under parallel bursts every answer is a 200
    /// or a 503 problem, never a 500; once it has happened readiness stays down with the reason,
    /// so a load balancer takes the instance out, and the log names the setting to add.
    /// </summary>
    [Test]
    public async Task An_instance_through_pgbouncer_with_automatic_preparation_on_answers_503_and_names_the_setting()
    {
        var preparing = new NpgsqlConnectionStringBuilder(_pooled);
        preparing.Remove("Max Auto Prepare");
        var settings = Settings(listen: _direct);
        // Every bearer check reads the database, so that each burst reaches it.
        settings["Auth__SessionCache__Enabled"] = "false";
        await using var misconfigured = await ApiProcess.StartAsync(preparing.ConnectionString, settings);
        var tokens = await _client.MemberAsync("pgb_prepared");
        using var client = misconfigured.CreateClient();
        var unavailable = 0;
        for (var round = 0; round < 20 && unavailable == 0; round++)
        {
            var answers = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => client.GetAsync("/v1/users/me", tokens.AccessToken)));
            Assert.That(answers.Select(a => a.StatusCode), Has.All.AnyOf(HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable));
            foreach (var answer in answers.Where(a => a.StatusCode == HttpStatusCode.ServiceUnavailable))
            {
                await answer.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
                unavailable++;
            }
        }

        Assert.That(unavailable, Is.Positive, "the lost prepared statements showed");
        var ready = await client.GetAsync("/health/ready");
        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(await ready.Content.ReadAsStringAsync(), Does.Contain("Max Auto Prepare=0"));
        Assert.That(misconfigured.Output.Count(line => line.Contains("add Max Auto Prepare=0", StringComparison.Ordinal)), Is.EqualTo(1),
            "said once:\n" + string.Join("\n", misconfigured.Output));
    }

    /// <summary>Revokes a session with the triggers off (<c>session_replication_role</c>), as if its notification were lost.</summary>
    private async Task RevokeWithoutNotificationAsync(Guid session)
    {
        await using var connection = await _database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var quiet = new NpgsqlCommand("SET LOCAL session_replication_role = replica", connection, transaction);
        await quiet.ExecuteNonQueryAsync();
        await using var revoke = new NpgsqlCommand("UPDATE paseto_auth.sessions SET revoked_at = now(), revoke_reason = 'logout' WHERE id = $1", connection, transaction);
        revoke.Parameters.AddWithValue(session);
        Assert.That(await revoke.ExecuteNonQueryAsync(), Is.EqualTo(1));
        await transaction.CommitAsync();
    }

    private string DatabaseName => new NpgsqlConnectionStringBuilder(_direct).Database!;

    private static int Count(Dictionary<string, string> row, string column) => int.Parse(row[column], CultureInfo.InvariantCulture);

    private Dictionary<string, string> Settings(string? listen)
    {
        var settings = ClusterSettings.BehindNginx();
        // The retention cleanup runs within the test: every second, deleting sessions ended 2 s ago.
        settings["Auth__Sessions__CleanupInterval"] = "00:00:01";
        settings["Auth__Sessions__KeepEndedFor"] = "00:00:02";
        foreach (var (key, value) in EmailTestBase.SinkSettings(_mail.Port))
        {
            settings[key.Replace(":", "__", StringComparison.Ordinal)] = value!;
        }

        if (listen is not null)
        {
            settings["ConnectionStrings__PostgresListen"] = listen;
        }

        return settings;
    }

    /// <summary>GET /v1/users/me with the token on each instance directly: each answers as expected within the session cache's guarantee.</summary>
    private async Task AssertOnEveryInstanceAsync(string accessToken, HttpStatusCode expected)
    {
        var guarantee = new SessionCacheOptions().Guarantee;
        foreach (var api in _apis)
        {
            using var direct = api.CreateClient();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (true)
            {
                var began = clock.Elapsed;
                var status = (await direct.GetAsync("/v1/users/me", accessToken)).StatusCode;
                if (status == expected)
                {
                    break;
                }

                Assert.That(began, Is.LessThanOrEqualTo(guarantee), $"{api.BaseAddress}: {status} to a request begun {began.TotalMilliseconds:F1} ms after the change");
            }
        }
    }

    private static void AssertSpread(IEnumerable<HttpResponseMessage> responses) =>
        Assert.That(responses.Select(r => r.Headers.TryGetValues("X-Upstream", out var v) ? v.Last() : "").Distinct().ToArray(), Has.Length.GreaterThan(1),
            "answers came from more than one instance");

    private Task<string> ClusterAsync(string command, string[] arguments) =>
        RepositoryScript.RunAsync("cluster.sh", [command, .. arguments], new Dictionary<string, string> { ["CLUSTER_STATE"] = _state });
}
