using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Posts;

public sealed class PostConcurrencyTests : ApiTestBase
{
    private async Task<(string Token, JsonElement Post, string ETag)> AlicesPostAsync()
    {
        var alice = await Client.MemberAsync("alice");
        var post = await Client.CreatePostOkAsync(alice.AccessToken, "Original", "Original body");
        return (alice.AccessToken, post, $"\"{post.Id()}-1\"");
    }

    private Task<string?> TitleAsync(int id) => ScalarAsync<string>("SELECT title FROM paseto_auth.posts WHERE id = $1", id);

    private Task<int> VersionAsync(int id) => ScalarAsync<int>("SELECT version FROM paseto_auth.posts WHERE id = $1", id);

    [Test]
    public async Task A_change_with_the_current_etag_succeeds_and_answers_the_next_one()
    {
        var (token, post, etag) = await AlicesPostAsync();

        var first = await Client.PatchPostAsync(token, post.Id(), new { title = "Second" }, etag);
        var second = await Client.PatchPostAsync(token, post.Id(), new { title = "Third" }, first.ETag());

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(second.ETag(), Is.EqualTo($"\"{post.Id()}-3\""));
        Assert.That(await TitleAsync(post.Id()), Is.EqualTo("Third"));
    }

    [Test]
    public async Task A_change_with_a_stale_if_match_is_a_412_and_changes_nothing()
    {
        var (token, post, staleETag) = await AlicesPostAsync();
        await Client.PatchPostAsync(token, post.Id(), new { title = "Changed elsewhere" }, staleETag);
        var before = await Client.GetPostOkAsync(token, post.Id());

        var response = await Client.PatchPostAsync(token, post.Id(), new { title = "Based on old", body = "Old" }, staleETag);

        await response.AssertProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.That((await Client.GetPostOkAsync(token, post.Id())).ToString(), Is.EqualTo(before.ToString()));
    }

    [Test]
    public async Task A_delete_with_a_stale_if_match_is_a_412_and_the_post_stays()
    {
        var (token, post, staleETag) = await AlicesPostAsync();
        var changed = await Client.PatchPostAsync(token, post.Id(), new { body = "Edited" });

        await (await Client.DeletePostAsync(token, post.Id(), staleETag)).AssertProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.That(await VersionAsync(post.Id()), Is.EqualTo(2));

        Assert.That((await Client.DeletePostAsync(token, post.Id(), changed.ETag())).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
    }

    [Test]
    public async Task A_weak_etag_never_matches_because_if_match_compares_strongly()
    {
        var (token, post, etag) = await AlicesPostAsync();

        var response = await Client.PatchPostAsync(token, post.Id(), new { title = "x" }, "W/" + etag);

        await response.AssertProblemAsync(HttpStatusCode.PreconditionFailed);
    }

    [Test]
    public async Task The_etag_of_one_post_never_matches_another()
    {
        var (token, first, firstETag) = await AlicesPostAsync();
        var second = await Client.CreatePostOkAsync(token, "Another");
        Assert.That(second.GetProperty("version").GetInt32(), Is.EqualTo(first.GetProperty("version").GetInt32()));

        var response = await Client.PatchPostAsync(token, second.Id(), new { title = "x" }, firstETag);

        await response.AssertProblemAsync(HttpStatusCode.PreconditionFailed);
    }

    [Test]
    public async Task If_match_takes_a_star_or_a_list_of_etags()
    {
        var (token, post, etag) = await AlicesPostAsync();

        var star = await Client.PatchPostAsync(token, post.Id(), new { title = "Star" }, "*");
        var list = await Client.PatchPostAsync(token, post.Id(), new { title = "List" }, $"\"{post.Id()}-9\", W/\"x\",{star.ETag()}");

        Assert.That(star.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.OK), await list.Content.ReadAsStringAsync());
        Assert.That(await TitleAsync(post.Id()), Is.EqualTo("List"));
    }

    [TestCase("3")]
    [TestCase("\"unterminated")]
    [TestCase("\"1-1\" trailing")]
    [TestCase("*, \"1-1\"")]
    [TestCase(",")]
    public async Task A_malformed_if_match_is_a_400_on_if_match_and_changes_nothing(string ifMatch)
    {
        var (token, post, _) = await AlicesPostAsync();

        var response = await Client.PatchPostAsync(token, post.Id(), new { title = "x" }, ifMatch);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "if_match" }));
        Assert.That(await VersionAsync(post.Id()), Is.EqualTo(1));
    }

    [Test]
    public async Task A_malformed_if_match_is_reported_with_the_body_s_faults_in_one_problem()
    {
        var (token, post, _) = await AlicesPostAsync();

        var response = await Client.PatchPostAsync(token, post.Id(), new { title = " " }, "3");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "if_match", "title" }));
        Assert.That(problem.GetProperty("errors").GetProperty("if_match")[0].GetString(),
            Is.EqualTo("If-Match must be * or a list of entity tags, e.g. \"12-3\"."));
        Assert.That(await VersionAsync(post.Id()), Is.EqualTo(1));
    }

    [Test]
    public async Task A_delete_with_a_malformed_if_match_is_a_400_on_if_match_and_the_post_stays()
    {
        var (token, post, _) = await AlicesPostAsync();

        var response = await Client.DeletePostAsync(token, post.Id(), "\"1-1\" trailing");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "if_match" }));
        Assert.That(await VersionAsync(post.Id()), Is.EqualTo(1));
    }

    [Test]
    public async Task Of_many_concurrent_changes_with_the_same_if_match_exactly_one_wins()
    {
        var (token, post, etag) = await AlicesPostAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(i => Client.PatchPostAsync(token, post.Id(), new { title = $"Writer {i}" }, etag)));

        var statuses = responses.Select(r => r.StatusCode).ToArray();
        Assert.That(statuses.Count(s => s == HttpStatusCode.OK), Is.EqualTo(1), string.Join(", ", statuses));
        Assert.That(statuses.Count(s => s == HttpStatusCode.PreconditionFailed), Is.EqualTo(7));
        var winner = await responses.Single(r => r.StatusCode == HttpStatusCode.OK).Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(await TitleAsync(post.Id()), Is.EqualTo(winner.GetProperty("title").GetString()));
        Assert.That(await VersionAsync(post.Id()), Is.EqualTo(2));
    }

    [Test]
    public async Task Two_changes_that_both_passed_the_if_match_check_commit_one_and_answer_412_to_the_other()
    {
        var (token, post, etag) = await AlicesPostAsync();

        // Both requests read version 1 and pass the check, then wait on the row lock held here;
        // when it goes, the first UPDATE ... WHERE version = 1 commits and the second finds no row.
        var responses = await WhileRowIsLockedAsync(post.Id(), 2,
            () => Client.PatchPostAsync(token, post.Id(), new { title = "First" }, etag),
            () => Client.PatchPostAsync(token, post.Id(), new { title = "Second" }, etag));

        Assert.That(responses.Select(r => r.StatusCode), Is.EquivalentTo(new[] { HttpStatusCode.OK, HttpStatusCode.PreconditionFailed }));
        await responses.Single(r => r.StatusCode != HttpStatusCode.OK).AssertProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.That(await VersionAsync(post.Id()), Is.EqualTo(2));
    }

    [Test]
    public async Task Racing_changes_without_if_match_both_apply_and_neither_field_is_lost()
    {
        var (token, post, _) = await AlicesPostAsync();

        var responses = await WhileRowIsLockedAsync(post.Id(), 2,
            () => Client.PatchPostAsync(token, post.Id(), new { title = "New title" }),
            () => Client.PatchPostAsync(token, post.Id(), new { body = "New body" }));

        Assert.That(responses.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
        var final = await Client.GetPostOkAsync(token, post.Id());
        Assert.That(final.GetProperty("title").GetString(), Is.EqualTo("New title"));
        Assert.That(final.GetProperty("body").GetString(), Is.EqualTo("New body"));
        Assert.That(final.GetProperty("version").GetInt32(), Is.EqualTo(3));
    }

    /// <summary>
    /// Holds a lock on the post's row, starts the requests, waits until <paramref name="writers"/>
    /// of them are blocked on it (so each has read the post already), then lets them go.
    /// </summary>
    private async Task<HttpResponseMessage[]> WhileRowIsLockedAsync(int id, int writers, params Func<Task<HttpResponseMessage>>[] requests)
    {
        Task<HttpResponseMessage[]> running;
        await using (var connection = await Database.OpenConnectionAsync())
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await using (var lockRow = new NpgsqlCommand("SELECT 1 FROM paseto_auth.posts WHERE id = $1 FOR UPDATE", connection, transaction))
            {
                lockRow.Parameters.Add(new NpgsqlParameter { Value = id });
                await lockRow.ExecuteScalarAsync();
            }

            running = Task.WhenAll(requests.Select(request => Task.Run(request)));
            await WaitForBlockedWritersAsync(writers, running);
            await transaction.RollbackAsync();
        }

        return await running;
    }

    private async Task WaitForBlockedWritersAsync(int writers, Task running)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var blocked = await ScalarAsync<long>("""
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid()
                  AND wait_event_type = 'Lock' AND query ILIKE '%posts%'
                """);
            if (blocked >= writers)
            {
                return;
            }

            if (running.IsCompleted || DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Expected {writers} writers waiting on the row lock, saw {blocked}.");
            }

            await Task.Delay(20);
        }
    }
}
