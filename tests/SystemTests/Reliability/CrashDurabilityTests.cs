using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Npgsql;
using Paseto.Auth.IntegrationTests.Posts;
using Paseto.Auth.IntegrationTests.Support;
using Paseto.Auth.SystemTests.Support;

namespace Paseto.Auth.SystemTests.Reliability;

/// <summary>
/// The API process is killed (SIGKILL) while parallel clients sign up, log in, rotate refresh
/// tokens and write posts, then started again on the same database. Every write answered 2xx
/// must be there; a write in flight at the kill may or may not be, but never in part.
/// </summary>
public sealed class CrashDurabilityTests
{
    private const int Workers = 6;

    private static readonly TimeSpan _loadBound = TimeSpan.FromSeconds(20);

    private static readonly Dictionary<string, string> _settings = new()
    {
        // The load is not what these budgets are for.
        ["Auth__Throttling__SignupsPerAddressPerHour"] = "100000",
        ["Auth__Throttling__SignupsPerHour"] = "100000",
        ["Auth__Sessions__MaxActive"] = "1000",
        // Cheap hashes: more writes per second before the kill, and a quick check after it.
        ["Auth__Passwords__MemoryKiB"] = "1024",
        ["Auth__Passwords__Iterations"] = "1",
    };

    [Test]
    public async Task Sigkill_under_load_keeps_every_answered_write_and_leaves_none_half_done()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        await using var database = NpgsqlDataSource.Create(connectionString);
        var ledger = new Ledger();

        await using (var api = await ApiProcess.StartAsync(connectionString, _settings))
        {
            var workers = Enumerable.Range(0, Workers).Select(w => RunWorkerAsync(api, w, ledger)).ToArray();
            var clock = Stopwatch.StartNew();
            while (!ledger.HasEnough && clock.Elapsed < _loadBound && !workers.Any(w => w.IsCompleted))
            {
                await Task.Delay(20);
            }

            Assert.That(ledger.HasEnough, Is.True, $"the load was answered before the kill: {string.Join("; ", ledger.Unexpected)}");
            api.Kill();
            Assert.That(await api.WaitForExitAsync(TimeSpan.FromSeconds(10)), Is.True);
            await Task.WhenAll(workers);
        }

        Assert.That(ledger.Unexpected, Is.Empty, "every request answered before the kill succeeded");
        TestContext.Out.WriteLine($"answered: {ledger.Users.Count} signups, {ledger.Sessions.Count} logins, " +
            $"{ledger.Sessions.Values.Sum(s => s.Answered.Count - 1)} refreshes, {ledger.Posts.Count} posts, " +
            $"{ledger.Posts.Values.Sum(p => p.Version - 1)} edits; without an answer: {string.Join(", ", ledger.InFlight)}");

        await AssertNothingHalfDoneAsync(database);
        await AssertAnsweredRowsAsync(database, ledger);

        await using var restarted = await ApiProcess.StartAsync(connectionString, _settings);
        using var client = restarted.CreateClient();
        await AssertUsersLogInAndSeeTheirPostsAsync(client, ledger);
        await AssertRefreshTokensAsync(client, database, ledger);
    }

    /// <summary>Invariants of the whole database, whatever was in flight.</summary>
    private static async Task AssertNothingHalfDoneAsync(NpgsqlDataSource database)
    {
        var checks = new Dictionary<string, string>
        {
            ["sessions without their user"] =
                "SELECT count(*) FROM paseto_auth.sessions s WHERE NOT EXISTS (SELECT 1 FROM paseto_auth.users u WHERE u.id = s.user_id)",
            ["posts without their author"] =
                "SELECT count(*) FROM paseto_auth.posts p WHERE NOT EXISTS (SELECT 1 FROM paseto_auth.users u WHERE u.id = p.author_id)",
            ["users without their signup event"] =
                "SELECT count(*) FROM paseto_auth.users u WHERE NOT EXISTS (SELECT 1 FROM paseto_auth.security_events e WHERE e.user_id = u.id AND e.type = 'signup')",
            ["sessions without their login event"] =
                "SELECT count(*) FROM paseto_auth.sessions s WHERE NOT EXISTS (SELECT 1 FROM paseto_auth.security_events e WHERE e.session_id = s.id AND e.type = 'login_succeeded')",
            // Generation g was spent by the rotation to g + 1: a session at generation n has spent exactly 0 … n - 1.
            ["sessions whose spent generations are not exactly 0 … generation - 1"] = """
                SELECT count(*) FROM paseto_auth.sessions s
                WHERE (SELECT count(*) FROM paseto_auth.spent_refresh_tokens t WHERE t.session_id = s.id) <> s.refresh_generation
                   OR (SELECT count(DISTINCT t.generation) FROM paseto_auth.spent_refresh_tokens t
                       WHERE t.session_id = s.id AND t.generation BETWEEN 0 AND s.refresh_generation - 1) <> s.refresh_generation
                """,
            ["sessions whose current refresh token is also spent"] =
                "SELECT count(*) FROM paseto_auth.sessions s JOIN paseto_auth.spent_refresh_tokens t ON t.hash = s.refresh_token_hash",
            ["sessions revoked by the crash"] = "SELECT count(*) FROM paseto_auth.sessions WHERE revoked_at IS NOT NULL",
            ["posts whose version and times disagree"] = """
                SELECT count(*) FROM paseto_auth.posts
                WHERE version < 1 OR updated_at < created_at OR (version = 1 AND updated_at <> created_at)
                """,
        };
        foreach (var (what, sql) in checks)
        {
            await using var command = database.CreateCommand(sql);
            Assert.That(await command.ExecuteScalarAsync(), Is.Zero, what);
        }
    }

    /// <summary>Every answered write is in the database; one in flight is there entirely or not at all.</summary>
    private static async Task AssertAnsweredRowsAsync(NpgsqlDataSource database, Ledger ledger)
    {
        await using (var command = database.CreateCommand("SELECT count(*) FROM paseto_auth.users WHERE username = ANY($1)"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = ledger.Users.Keys.ToArray() });
            Assert.That(await command.ExecuteScalarAsync(), Is.EqualTo(ledger.Users.Count), "every user whose signup answered 201");
        }

        foreach (var session in ledger.Sessions.Values)
        {
            await using var command = database.CreateCommand(
                "SELECT refresh_generation, refresh_token_hash FROM paseto_auth.sessions WHERE id = $1");
            command.Parameters.Add(new NpgsqlParameter { Value = session.Id });
            await using var row = await command.ExecuteReaderAsync();
            Assert.That(await row.ReadAsync(), Is.True, $"session {session.Id} answered 2xx");
            var (generation, current) = (row.GetInt32(0), (byte[])row[1]);
            var answered = session.Answered.Count - 1;
            if (ledger.InFlight.Contains(session.RefreshInFlight))
            {
                // Rotated and committed without an answer, or not at all: one generation, never half.
                Assert.That(generation, Is.EqualTo(answered).Or.EqualTo(answered + 1), $"session {session.Id}");
            }
            else
            {
                Assert.That(generation, Is.EqualTo(answered), $"session {session.Id}: no generation skipped");
            }

            Assert.That(current.SequenceEqual(Hash(session.Answered[^1])), Is.EqualTo(generation == answered),
                $"session {session.Id}: the last token answered is current exactly when no rotation committed after it");

            // Every earlier token answered is recorded as spent, at its generation: presenting it is reuse.
            await using var spent = database.CreateCommand(
                "SELECT count(*) FROM paseto_auth.spent_refresh_tokens WHERE session_id = $1 AND hash = $2 AND generation = $3");
            for (var i = 0; i < answered; i++)
            {
                spent.Parameters.Clear();
                spent.Parameters.Add(new NpgsqlParameter { Value = session.Id });
                spent.Parameters.Add(new NpgsqlParameter { Value = Hash(session.Answered[i]) });
                spent.Parameters.Add(new NpgsqlParameter { Value = i });
                Assert.That(await spent.ExecuteScalarAsync(), Is.EqualTo(1L), $"session {session.Id}: token {i} spent");
            }
        }

        foreach (var post in ledger.Posts.Values)
        {
            await using var command = database.CreateCommand("SELECT version, title, body FROM paseto_auth.posts WHERE id = $1");
            command.Parameters.Add(new NpgsqlParameter { Value = post.Id });
            await using var row = await command.ExecuteReaderAsync();
            Assert.That(await row.ReadAsync(), Is.True, $"post {post.Id} answered 2xx");
            var (version, title, body) = (row.GetInt32(0), row.GetString(1), row.GetString(2));
            var expected = version == post.Version + 1 && ledger.InFlight.Contains(post.EditInFlight) ? post.Next() : post;
            Assert.That((version, title, body), Is.EqualTo((expected.Version, expected.Title, expected.Body)),
                $"post {post.Id}: the last answered version, or the edit in flight whole");
        }
    }

    private static async Task AssertUsersLogInAndSeeTheirPostsAsync(HttpClient client, Ledger ledger)
    {
        foreach (var username in ledger.Users.Keys)
        {
            var tokens = await client.LoginOkAsync(username);
            foreach (var post in ledger.Posts.Values.Where(p => p.Author == username))
            {
                var found = await client.GetPostOkAsync(tokens.AccessToken, post.Id);
                Assert.That(found.GetProperty("version").GetInt32(), Is.GreaterThanOrEqualTo(post.Version), $"post {post.Id}");
            }
        }
    }

    /// <summary>
    /// The last refresh token answered refreshes once; an earlier one is then refused as reuse,
    /// which revokes the session. Where a rotation was in flight and committed, the client never
    /// saw its new token: its last token is spent, and presenting it ends the session (log in again).
    /// </summary>
    private static async Task AssertRefreshTokensAsync(HttpClient client, NpgsqlDataSource database, Ledger ledger)
    {
        foreach (var session in ledger.Sessions.Values)
        {
            await using var command = database.CreateCommand("SELECT refresh_generation FROM paseto_auth.sessions WHERE id = $1");
            command.Parameters.Add(new NpgsqlParameter { Value = session.Id });
            var rotatedUnanswered = (int)(await command.ExecuteScalarAsync())! == session.Answered.Count;

            var last = await RefreshAsync(client, session.Answered[^1]);
            if (rotatedUnanswered)
            {
                TestContext.Out.WriteLine($"session {session.Id}: its rotation in flight committed; its last token is spent");
                await last.AssertProblemAsync(HttpStatusCode.Unauthorized);
                continue;
            }

            Assert.That(last.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"session {session.Id}: {await last.Content.ReadAsStringAsync()}");
            var fresh = await ApiClientExtensions.ReadTokensAsync(last);
            if (session.Answered.Count < 2)
            {
                continue;
            }

            await (await RefreshAsync(client, session.Answered[^2])).AssertProblemAsync(HttpStatusCode.Unauthorized);
            await (await RefreshAsync(client, fresh.RefreshToken)).AssertProblemAsync(HttpStatusCode.Unauthorized);
            await using var reason = database.CreateCommand("SELECT revoke_reason FROM paseto_auth.sessions WHERE id = $1");
            reason.Parameters.Add(new NpgsqlParameter { Value = session.Id });
            Assert.That(await reason.ExecuteScalarAsync(), Is.EqualTo("refresh_token_reuse"), $"session {session.Id}: revoked as reuse");
        }
    }

    private static async Task RunWorkerAsync(ApiProcess api, int worker, Ledger ledger)
    {
        using var client = api.CreateClient();
        // Workers do different numbers of refreshes and edits, so the kill finds them at different steps.
        var refreshes = 1 + (worker % 3);
        var edits = 1 + ((worker + 1) % 3);
        var step = "start";
        try
        {
            for (var round = 0; ; round++)
            {
                var username = $"w{worker}r{round}";
                step = $"signup {username}";
                if (!await ExpectAsync(await client.SignupAsync(username), HttpStatusCode.Created, step, ledger))
                {
                    return;
                }

                ledger.Users[username] = true;
                step = $"login {username}";
                var login = await client.LoginAsync(username);
                if (!await ExpectAsync(login, HttpStatusCode.OK, step, ledger))
                {
                    return;
                }

                var tokens = await ApiClientExtensions.ReadTokensAsync(login);
                var session = new SessionRecord(tokens.SessionId, [tokens.RefreshToken]);
                ledger.Sessions[session.Id] = session;
                for (var i = 0; i < refreshes; i++)
                {
                    step = session.RefreshInFlight;
                    var refresh = await RefreshAsync(client, session.Answered[^1]);
                    if (!await ExpectAsync(refresh, HttpStatusCode.OK, step, ledger))
                    {
                        return;
                    }

                    tokens = await ApiClientExtensions.ReadTokensAsync(refresh);
                    session.Answered.Add(tokens.RefreshToken);
                }

                step = $"create post of {username}";
                var created = await client.CreatePostAsync(tokens.AccessToken, $"{username} title", $"{username} body");
                if (!await ExpectAsync(created, HttpStatusCode.Created, step, ledger))
                {
                    return;
                }

                var post = new PostRecord((await created.Content.ReadFromJsonAsync<JsonElement>()).Id(), username, 1, $"{username} title", $"{username} body");
                ledger.Posts[post.Id] = post;
                for (var i = 0; i < edits; i++)
                {
                    step = post.EditInFlight;
                    var next = post.Next();
                    var edited = await client.PatchPostAsync(tokens.AccessToken, post.Id, new { title = next.Title, body = next.Body }, $"\"{post.Id}-{post.Version}\"");
                    if (!await ExpectAsync(edited, HttpStatusCode.OK, step, ledger))
                    {
                        return;
                    }

                    Assert.That((await edited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32(), Is.EqualTo(next.Version));
                    post = next;
                    ledger.Posts[post.Id] = post;
                }
            }
        }
        catch (HttpRequestException)
        {
            // The process died with this request unanswered (or refused it, already dead).
            ledger.InFlight.Add(step);
        }
    }

    /// <summary>Whether the answer is the one expected; anything else is recorded and ends the worker.</summary>
    private static async Task<bool> ExpectAsync(HttpResponseMessage response, HttpStatusCode expected, string step, Ledger ledger)
    {
        if (response.StatusCode == expected)
        {
            return true;
        }

        ledger.Unexpected.Add($"{step}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return false;
    }

    private static Task<HttpResponseMessage> RefreshAsync(HttpClient client, string refreshToken) =>
        client.PostAsJsonAsync("/v1/token/refresh", new { refresh_token = refreshToken });

    /// <summary>What the service stores for a refresh token: the SHA-256 of its 32 bytes.</summary>
    private static byte[] Hash(string refreshToken) => SHA256.HashData(Base64Url.DecodeFromChars(refreshToken));

    /// <summary>What the clients were answered, and what they sent without an answer.</summary>
    private sealed class Ledger
    {
        public ConcurrentDictionary<string, bool> Users { get; } = new();

        public ConcurrentDictionary<Guid, SessionRecord> Sessions { get; } = new();

        public ConcurrentDictionary<int, PostRecord> Posts { get; } = new();

        public ConcurrentBag<string> InFlight { get; } = [];

        public ConcurrentBag<string> Unexpected { get; } = [];

        public bool HasEnough =>
            Users.Count >= 3 * Workers && Posts.Values.Count(p => p.Version > 1) >= Workers;
    }

    /// <summary>A session and every refresh token answered for it, oldest (the login's) first.</summary>
    private sealed record SessionRecord(Guid Id, List<string> Answered)
    {
        public string RefreshInFlight => $"refresh of session {Id}";
    }

    /// <summary>A post as its last answered write left it.</summary>
    private sealed record PostRecord(int Id, string Author, int Version, string Title, string Body)
    {
        public string EditInFlight => $"edit of post {Id}";

        /// <summary>What the next edit writes.</summary>
        public PostRecord Next() => this with { Version = Version + 1, Title = $"{Author} title v{Version + 1}", Body = $"{Author} body v{Version + 1}" };
    }
}
