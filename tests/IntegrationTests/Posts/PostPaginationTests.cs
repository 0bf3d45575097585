using System.Buffers.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Paseto.Auth.Application.Posts;
using Paseto.Auth.Infrastructure.Persistence;
using Paseto.Auth.Infrastructure.Persistence.Configurations;
using Paseto.Auth.Infrastructure.Persistence.Repositories;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Posts;

public sealed partial class PostPaginationTests : ApiTestBase
{
    private Task<int> UserIdAsync(string username) =>
        ScalarAsync<int>("SELECT id FROM paseto_auth.users WHERE username = $1", username);

    /// <summary>Inserts posts straight into the table, one second apart, the newest last; returns their ids.</summary>
    private async Task<int[]> InsertPostsAsync(int authorId, int count, DateTimeOffset? sameTime = null)
    {
        await using var command = Database.CreateCommand("""
            INSERT INTO paseto_auth.posts (author_id, title, body, created_at, updated_at, version)
            SELECT $1, 'Post ' || g, 'Body ' || g, t, t, 1
            FROM generate_series(1, $2) AS g,
                 LATERAL (SELECT coalesce($3, now() - interval '1 day' + g * interval '1 second') AS t) AS times
            ORDER BY g
            RETURNING id
            """);
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = authorId });
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = count });
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = (object?)sameTime ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        var ids = new List<int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt32(0));
        }

        return [.. ids];
    }

    /// <summary>Follows <c>next_cursor</c> to the end; <paramref name="betweenPages"/> runs after each page.</summary>
    private async Task<List<int[]>> WalkAsync(string accessToken, string query, Func<Task>? betweenPages = null)
    {
        var pages = new List<int[]>();
        string? cursor = null;
        do
        {
            var (ids, next) = await Client.ListPostsOkAsync(accessToken, cursor is null ? query : $"{query}&cursor={cursor}");
            pages.Add(ids);
            cursor = next;
            if (betweenPages is not null)
            {
                await betweenPages();
            }
        }
        while (cursor is not null && pages.Count < 100);

        return pages;
    }

    [Test]
    public async Task Posts_come_newest_first_in_pages_until_next_cursor_is_null()
    {
        var alice = await Client.MemberAsync("alice");
        var written = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            written.Add((await Client.CreatePostOkAsync(alice.AccessToken, $"Post {i}")).Id());
        }

        var pages = await WalkAsync(alice.AccessToken, "?limit=2");

        Assert.That(pages.Select(p => p.Length), Is.EqualTo(new[] { 2, 2, 1 }));
        Assert.That(pages.SelectMany(p => p), Is.EqualTo(Enumerable.Reverse(written)));
    }

    [Test]
    public async Task The_last_page_says_next_cursor_null_even_when_it_is_full()
    {
        var alice = await Client.MemberAsync("alice");
        await InsertPostsAsync(await UserIdAsync("alice"), 4);

        var (first, cursor) = await Client.ListPostsOkAsync(alice.AccessToken, "?limit=2");
        var (second, end) = await Client.ListPostsOkAsync(alice.AccessToken, $"?limit=2&cursor={cursor}");

        Assert.That(first, Has.Length.EqualTo(2));
        Assert.That(second, Has.Length.EqualTo(2));
        Assert.That(end, Is.Null);
    }

    [Test]
    public async Task The_limit_is_20_by_default_and_at_most_100()
    {
        var alice = await Client.MemberAsync("alice");
        await InsertPostsAsync(await UserIdAsync("alice"), 120);

        var (byDefault, next) = await Client.ListPostsOkAsync(alice.AccessToken);
        var (most, _) = await Client.ListPostsOkAsync(alice.AccessToken, "?limit=100");

        Assert.That(byDefault, Has.Length.EqualTo(20));
        Assert.That(next, Is.Not.Null);
        Assert.That(most, Has.Length.EqualTo(100));
    }

    [TestCase("0")]
    [TestCase("101")]
    [TestCase("-5")]
    [TestCase("abc")]
    [TestCase("99999999999")]
    public async Task A_limit_outside_1_to_100_is_a_400_on_limit(string limit)
    {
        var alice = await Client.MemberAsync("alice");

        var response = await Client.GetAsync($"/v1/posts?limit={limit}", alice.AccessToken);

        var problem = await response.AssertProblemAsync(System.Net.HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "limit" }));
    }

    [Test]
    public async Task A_cursor_that_is_not_one_of_ours_is_a_400_on_cursor()
    {
        var alice = await Client.MemberAsync("alice");
        await InsertPostsAsync(await UserIdAsync("alice"), 3);
        var (_, cursor) = await Client.ListPostsOkAsync(alice.AccessToken, "?limit=1");
        var bytes = Base64Url.DecodeFromChars(cursor);
        bytes[0] ^= 0x7F;
        var badCursors = new[] { "garbage!!", "AAAA", cursor![..^1], cursor + "A", Base64Url.EncodeToString(bytes), new string('_', 300), "\0" };

        foreach (var bad in badCursors)
        {
            var response = await Client.GetAsync($"/v1/posts?cursor={Uri.EscapeDataString(bad)}", alice.AccessToken);

            var problem = await response.AssertProblemAsync(System.Net.HttpStatusCode.BadRequest);
            Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "cursor" }), bad);
        }
    }

    [Test]
    public async Task Posts_written_at_the_same_instant_are_paged_by_id_without_repeats_or_gaps()
    {
        var alice = await Client.MemberAsync("alice");
        var ids = await InsertPostsAsync(await UserIdAsync("alice"), 7, sameTime: DateTimeOffset.UtcNow.AddHours(-1));

        var pages = await WalkAsync(alice.AccessToken, "?limit=3");

        Assert.That(pages.Select(p => p.Length), Is.EqualTo(new[] { 3, 3, 1 }));
        Assert.That(pages.SelectMany(p => p), Is.EqualTo(ids.OrderDescending()));
    }

    [Test]
    public async Task Posts_written_while_a_client_pages_neither_repeat_nor_shift_the_pages_it_has_yet_to_read()
    {
        var alice = await Client.MemberAsync("alice");
        var bob = await Client.MemberAsync("bob");
        var before = new List<int>();
        for (var i = 0; i < 10; i++)
        {
            before.Add((await Client.CreatePostOkAsync(alice.AccessToken, $"Before {i}")).Id());
        }

        var writes = 0;
        var pages = await WalkAsync(alice.AccessToken, "?limit=3", async () =>
        {
            await Client.CreatePostOkAsync(bob.AccessToken, $"During {writes++}");
            await Client.CreatePostOkAsync(alice.AccessToken, $"During {writes++}");
        });

        Assert.That(pages.SelectMany(p => p), Is.EqualTo(Enumerable.Reverse(before)));
        Assert.That(writes, Is.EqualTo(8));
    }

    [Test]
    public async Task Paging_goes_on_after_the_post_a_cursor_ended_at_is_deleted()
    {
        var alice = await Client.MemberAsync("alice");
        var ids = await InsertPostsAsync(await UserIdAsync("alice"), 5);
        var (first, cursor) = await Client.ListPostsOkAsync(alice.AccessToken, "?limit=2");
        await Client.DeletePostAsync(alice.AccessToken, first[^1]);

        var (rest, _) = await Client.ListPostsOkAsync(alice.AccessToken, $"?limit=10&cursor={cursor}");

        Assert.That(rest, Is.EqualTo(ids.OrderDescending().Skip(2)));
    }

    [Test]
    public async Task The_author_filter_takes_a_username_in_any_case_and_an_unknown_one_gives_an_empty_page()
    {
        var alice = await Client.MemberAsync("alice");
        await Client.SignupOkAsync("bob");
        var alices = await InsertPostsAsync(await UserIdAsync("alice"), 3);
        await InsertPostsAsync(await UserIdAsync("bob"), 4);

        var byAlice = await WalkAsync(alice.AccessToken, "?author=ALICE&limit=2");
        var (everyone, _) = await Client.ListPostsOkAsync(alice.AccessToken, "?author=&limit=100");

        Assert.That(byAlice.SelectMany(p => p), Is.EqualTo(alices.OrderDescending()));
        Assert.That(everyone, Has.Length.EqualTo(7));
        foreach (var unknown in new[] { "nobody", "%00", "al%0Aice", new string('a', 500) })
        {
            var (items, next) = await Client.ListPostsOkAsync(alice.AccessToken, $"?author={unknown}");
            Assert.That(items, Is.Empty, unknown);
            Assert.That(next, Is.Null, unknown);
        }
    }

    [Test]
    public async Task The_list_query_is_an_index_scan_that_reads_no_more_than_the_page()
    {
        await Client.SignupOkAsync("alice");
        await Client.SignupOkAsync("bob");
        var aliceId = await UserIdAsync("alice");
        await InsertPostsAsync(aliceId, 1000);
        await InsertPostsAsync(await UserIdAsync("bob"), 1000);
        await ScalarAsync<int>("ANALYZE paseto_auth.posts");
        await ScalarAsync<int>("ANALYZE paseto_auth.users");
        var middle = await ScalarAsync<int>("SELECT id FROM paseto_auth.posts ORDER BY created_at DESC, id DESC OFFSET 1000 LIMIT 1");
        var middleTime = await ScalarAsync<DateTime>("SELECT created_at FROM paseto_auth.posts WHERE id = $1", middle);
        var cursor = new PostCursor(new DateTimeOffset(middleTime, TimeSpan.Zero), middle);

        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        var cases = new (string Name, int? Author, PostCursor? After, string Index)[]
        {
            ("first page", null, null, PostConfiguration.NewestFirstIndex),
            ("a later page", null, cursor, PostConfiguration.NewestFirstIndex),
            ("one author's first page", aliceId, null, PostConfiguration.ByAuthorNewestFirstIndex),
            ("one author's later page", aliceId, cursor, PostConfiguration.ByAuthorNewestFirstIndex),
        };

        foreach (var (name, author, after, index) in cases)
        {
            var plan = await ExplainAsync(db, PostRepository.PageStatement(author, after, 21));
            TestContext.Out.WriteLine($"-- {name}\n{plan}\n");

            var scan = plan.Split('\n').FirstOrDefault(line => line.Contains($"Index Scan using {index} on posts", StringComparison.Ordinal));
            Assert.That(scan, Is.Not.Null, $"{name}:\n{plan}");
            Assert.That(ActualRows().Match(scan!).Groups[1].Value, Is.EqualTo("21"), $"{name}: the scan stops after the page\n{plan}");
            Assert.That(plan, Does.Not.Contain("Seq Scan on posts").And.Not.Contain("Sort"), $"{name}:\n{plan}");
            Assert.That(await GenericPlansAfterRepeatsAsync(db, PostRepository.PageStatement(author, after, 21)), Is.GreaterThan(0),
                $"{name}: PostgreSQL settles on a cached plan instead of planning every page anew");
        }
    }

    /// <summary>
    /// Runs the query as a prepared statement ten times and returns how many of the runs used the
    /// statement's cached generic plan. A page size sent as a parameter (<c>LIMIT $n</c>) makes the
    /// generic plan look like a scan of the whole table, so PostgreSQL re-plans every execution,
    /// which costs several times the execution itself.
    /// </summary>
    private static async Task<long> GenericPlansAfterRepeatsAsync(AuthDbContext db, (string Sql, NpgsqlParameter[] Parameters) statement)
    {
        await db.Database.OpenConnectionAsync();
        try
        {
            var before = await GenericPlansAsync(db);
            await using var command = Command(db, statement);
            await command.PrepareAsync();
            for (var i = 0; i < 10; i++)
            {
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                }
            }

            return await GenericPlansAsync(db) - before;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Generic-plan runs so far of this connection's prepared statements over posts.</summary>
    private static async Task<long> GenericPlansAsync(AuthDbContext db)
    {
        await using var plans = db.Database.GetDbConnection().CreateCommand();
        plans.CommandText = "SELECT coalesce(sum(generic_plans), 0)::bigint FROM pg_prepared_statements WHERE statement LIKE '%FROM paseto_auth.posts%'";
        return (long)(await plans.ExecuteScalarAsync())!;
    }

    private static NpgsqlCommand Command(AuthDbContext db, (string Sql, NpgsqlParameter[] Parameters) statement)
    {
        var command = new NpgsqlCommand(statement.Sql, (NpgsqlConnection)db.Database.GetDbConnection());
        command.Parameters.AddRange(statement.Parameters);
        return command;
    }

    private static async Task<string> ExplainAsync(AuthDbContext db, (string Sql, NpgsqlParameter[] Parameters) statement)
    {
        await db.Database.OpenConnectionAsync();
        try
        {
            await using var command = Command(db, statement);
            command.CommandText = "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + command.CommandText;
            var lines = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                lines.Add(reader.GetString(0));
            }

            return string.Join('\n', lines);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    [GeneratedRegex(@"actual rows=(\d+)(?:\.\d+)? ")]
    private static partial Regex ActualRows();
}
