using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Posts;

public sealed class PostTests : ApiTestBase
{
    private async Task<string> AdminAsync(string username)
    {
        var tokens = await Client.MemberAsync(username);
        await ScalarAsync<int>("UPDATE paseto_auth.users SET role = 'admin' WHERE username = $1", username);
        return tokens.AccessToken;
    }

    [Test]
    public async Task Writing_a_post_answers_201_with_location_etag_and_the_post()
    {
        var alice = await Client.MemberAsync("alice");

        var response = await Client.CreatePostAsync(alice.AccessToken, "  First post  ", "Line one\nLine two\twith a tab");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var post = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = post.Id();
        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.Location?.ToString(), Does.EndWith($"/v1/posts/{id}"));
            Assert.That(response.ETag(), Is.EqualTo($"\"{id}-1\""));
            Assert.That(post.GetProperty("author").GetString(), Is.EqualTo("alice"));
            Assert.That(post.GetProperty("title").GetString(), Is.EqualTo("First post"));
            Assert.That(post.GetProperty("body").GetString(), Is.EqualTo("Line one\nLine two\twith a tab"));
            Assert.That(post.GetProperty("version").GetInt32(), Is.EqualTo(1));
            Assert.That(post.GetProperty("created_at").GetDateTimeOffset(), Is.EqualTo(post.GetProperty("updated_at").GetDateTimeOffset()));
        });
    }

    [Test]
    public async Task Any_member_reads_a_post_exactly_as_it_was_written_with_its_etag()
    {
        var alice = await Client.MemberAsync("alice");
        var bob = await Client.MemberAsync("bob");
        var written = await Client.CreatePostOkAsync(alice.AccessToken, "Hello 👋🏽", "Body");

        var response = await Client.GetAsync($"/v1/posts/{written.Id()}", bob.AccessToken);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.ETag(), Is.EqualTo($"\"{written.Id()}-1\""));
        var read = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(read.ToString(), Is.EqualTo(written.ToString()), "the same fields and times, to the microsecond");
    }

    [Test]
    public async Task A_post_without_a_body_has_an_empty_one()
    {
        var alice = await Client.MemberAsync("alice");

        var post = await Client.CreatePostOkAsync(alice.AccessToken, "Title only", body: null);

        Assert.That(post.GetProperty("body").GetString(), Is.Empty);
    }

    [Test]
    public async Task Every_posts_endpoint_needs_a_token()
    {
        var alice = await Client.MemberAsync("alice");
        var id = (await Client.CreatePostOkAsync(alice.AccessToken, "Mine")).Id();
        var requests = new (HttpMethod Method, string Path, object? Body)[]
        {
            (HttpMethod.Post, "/v1/posts", new { title = "x", body = "y" }),
            (HttpMethod.Get, "/v1/posts", null),
            (HttpMethod.Get, $"/v1/posts/{id}", null),
            (HttpMethod.Patch, $"/v1/posts/{id}", new { title = "x" }),
            (HttpMethod.Delete, $"/v1/posts/{id}", null),
        };

        foreach (var (method, path, body) in requests)
        {
            var response = await Client.SendAsync(method, path, accessToken: null, body);
            await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        }

        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.posts"), Is.EqualTo(1));
    }

    [Test]
    public async Task An_unknown_post_is_a_404_to_read_change_or_delete()
    {
        var alice = await Client.MemberAsync("alice");

        await (await Client.GetAsync("/v1/posts/4242", alice.AccessToken)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await Client.PatchPostAsync(alice.AccessToken, 4242, new { title = "x" })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await Client.DeletePostAsync(alice.AccessToken, 4242)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await Client.GetAsync("/v1/posts/not-a-number", alice.AccessToken)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await Client.GetAsync("/v1/posts/99999999999", alice.AccessToken)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task The_author_changes_title_and_body_and_the_version_and_etag_move_on()
    {
        var alice = await Client.MemberAsync("alice");
        var post = await Client.CreatePostOkAsync(alice.AccessToken, "Draft", "Old body");

        var response = await Client.PatchPostAsync(alice.AccessToken, post.Id(), new { title = "Final", body = "New body" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var changed = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Multiple(() =>
        {
            Assert.That(response.ETag(), Is.EqualTo($"\"{post.Id()}-2\""));
            Assert.That(changed.GetProperty("title").GetString(), Is.EqualTo("Final"));
            Assert.That(changed.GetProperty("body").GetString(), Is.EqualTo("New body"));
            Assert.That(changed.GetProperty("version").GetInt32(), Is.EqualTo(2));
            Assert.That(changed.GetProperty("created_at").GetDateTimeOffset(), Is.EqualTo(post.GetProperty("created_at").GetDateTimeOffset()));
            Assert.That(changed.GetProperty("updated_at").GetDateTimeOffset(), Is.GreaterThan(post.GetProperty("updated_at").GetDateTimeOffset()));
        });
        Assert.That((await Client.GetPostOkAsync(alice.AccessToken, post.Id())).ToString(), Is.EqualTo(changed.ToString()));
    }

    [Test]
    public async Task A_change_names_only_the_fields_it_changes()
    {
        var alice = await Client.MemberAsync("alice");
        var post = await Client.CreatePostOkAsync(alice.AccessToken, "Title", "Body");

        var titled = await (await Client.PatchPostAsync(alice.AccessToken, post.Id(), new { title = "New title" })).Content.ReadFromJsonAsync<JsonElement>();
        var emptied = await (await Client.PatchPostAsync(alice.AccessToken, post.Id(), new { title = (string?)null, body = "" })).Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(titled.GetProperty("body").GetString(), Is.EqualTo("Body"));
        Assert.That(emptied.GetProperty("title").GetString(), Is.EqualTo("New title"));
        Assert.That(emptied.GetProperty("body").GetString(), Is.Empty);
        Assert.That(emptied.GetProperty("version").GetInt32(), Is.EqualTo(3));
    }

    [Test]
    public async Task A_change_that_alters_nothing_keeps_the_version_and_etag()
    {
        var alice = await Client.MemberAsync("alice");
        var post = await Client.CreatePostOkAsync(alice.AccessToken, "Same", "Same body");

        var response = await Client.PatchPostAsync(alice.AccessToken, post.Id(), new { title = "Same", body = "Same body" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.ETag(), Is.EqualTo($"\"{post.Id()}-1\""));
        Assert.That(await ScalarAsync<int>("SELECT version FROM paseto_auth.posts WHERE id = $1", post.Id()), Is.EqualTo(1));
    }

    [Test]
    public async Task Another_member_may_neither_change_nor_delete_a_post_and_nothing_changes()
    {
        var alice = await Client.MemberAsync("alice");
        var bob = await Client.MemberAsync("bob");
        var post = await Client.CreatePostOkAsync(alice.AccessToken, "Alice's", "Mine");

        await (await Client.PatchPostAsync(bob.AccessToken, post.Id(), new { title = "Bob's now" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await Client.DeletePostAsync(bob.AccessToken, post.Id())).AssertProblemAsync(HttpStatusCode.Forbidden);

        Assert.That((await Client.GetPostOkAsync(bob.AccessToken, post.Id())).ToString(), Is.EqualTo(post.ToString()));
    }

    [Test]
    public async Task Another_member_is_refused_with_403_even_when_sending_the_current_etag()
    {
        var alice = await Client.MemberAsync("alice");
        var bob = await Client.MemberAsync("bob");
        var post = await Client.CreatePostOkAsync(alice.AccessToken, "Alice's");

        var response = await Client.PatchPostAsync(bob.AccessToken, post.Id(), new { title = "x" }, ifMatch: $"\"{post.Id()}-1\"");

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task An_admin_may_change_and_delete_anyones_post_and_the_author_stays()
    {
        var alice = await Client.MemberAsync("alice");
        var admin = await AdminAsync("root");
        var post = await Client.CreatePostOkAsync(alice.AccessToken, "Spam?", "Maybe");

        var changed = await Client.PatchPostAsync(admin, post.Id(), new { title = "Moderated" });

        Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await changed.Content.ReadAsStringAsync());
        var body = await changed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(body.GetProperty("author").GetString(), Is.EqualTo("alice"));
        Assert.That(body.GetProperty("title").GetString(), Is.EqualTo("Moderated"));

        Assert.That((await Client.DeletePostAsync(admin, post.Id())).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.posts"), Is.Zero);
    }

    [Test]
    public async Task The_author_deletes_a_post_and_it_is_gone()
    {
        var alice = await Client.MemberAsync("alice");
        var post = await Client.CreatePostOkAsync(alice.AccessToken, "Short-lived");

        var response = await Client.DeletePostAsync(alice.AccessToken, post.Id());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await (await Client.GetAsync($"/v1/posts/{post.Id()}", alice.AccessToken)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await Client.DeletePostAsync(alice.AccessToken, post.Id())).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [TestCase("")]
    [TestCase("   ")]
    [TestCase("Tab\tin title")]
    [TestCase("New\nline")]
    [TestCase("Nul\0byte")]
    [TestCase("Bell\u0007")]
    [TestCase("C1 \u0085 control")]
    public async Task A_blank_title_or_one_with_control_characters_is_a_400_on_title(string title)
    {
        var alice = await Client.MemberAsync("alice");

        var response = await Client.CreatePostAsync(alice.AccessToken, title);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "title" }));
    }

    [Test]
    public async Task A_missing_title_is_a_400_on_title()
    {
        var alice = await Client.MemberAsync("alice");

        var response = await Client.SendAsync(HttpMethod.Post, "/v1/posts", alice.AccessToken, new { body = "No title" });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "title" }));
    }

    [Test]
    public async Task A_title_has_at_most_200_characters_counted_as_unicode_code_points()
    {
        var alice = await Client.MemberAsync("alice");

        await Client.CreatePostOkAsync(alice.AccessToken, new string('t', 200));
        // 200 emoji are 400 UTF-16 units but 200 characters, as PostgreSQL counts them.
        await Client.CreatePostOkAsync(alice.AccessToken, string.Concat(Enumerable.Repeat("😀", 200)));
        var tooLong = await Client.CreatePostAsync(alice.AccessToken, new string('t', 201));

        var problem = await tooLong.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "title" }));
        Assert.That(problem.GetProperty("errors").GetProperty("title")[0].GetString(), Does.Contain("200"));
    }

    [Test]
    public async Task A_body_has_at_most_20000_characters()
    {
        var alice = await Client.MemberAsync("alice");

        await Client.CreatePostOkAsync(alice.AccessToken, "Full", new string('b', 20_000));
        var tooLong = await Client.CreatePostAsync(alice.AccessToken, "Over", new string('b', 20_001));

        var problem = await tooLong.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "body" }));
        Assert.That(problem.GetProperty("errors").GetProperty("body")[0].GetString(), Does.Contain("20000"));
    }

    [TestCase("Nul\0byte")]
    [TestCase("Escape \u001b[31m red")]
    [TestCase("Delete \u007f")]
    public async Task A_body_may_hold_line_breaks_and_tabs_but_no_other_control_characters(string body)
    {
        var alice = await Client.MemberAsync("alice");
        await Client.CreatePostOkAsync(alice.AccessToken, "Fine", "a\r\nb\tc\n");

        var response = await Client.CreatePostAsync(alice.AccessToken, "Not fine", body);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "body" }));
    }

    [TestCase("""{"title": "\ud800 lone", "body": "x"}""")]
    [TestCase("""{"title": "ok", "body": "lone \udc00"}""")]
    public async Task A_lone_surrogate_is_a_400_not_a_500(string json)
    {
        var alice = await Client.MemberAsync("alice");

        var response = await PostRawAsync(alice.AccessToken, "/v1/posts", json);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.posts"), Is.Zero);
    }

    [Test]
    public async Task Changing_a_post_to_an_invalid_title_or_body_is_a_400_and_changes_nothing()
    {
        var alice = await Client.MemberAsync("alice");
        var post = await Client.CreatePostOkAsync(alice.AccessToken, "Good", "Good");

        var response = await Client.PatchPostAsync(alice.AccessToken, post.Id(), new { title = " ", body = new string('b', 20_001) });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "body", "title" }));
        Assert.That((await Client.GetPostOkAsync(alice.AccessToken, post.Id())).ToString(), Is.EqualTo(post.ToString()));
    }

    [Test]
    public async Task Malformed_json_and_wrong_types_are_400s()
    {
        var alice = await Client.MemberAsync("alice");

        await (await PostRawAsync(alice.AccessToken, "/v1/posts", "{\"title\": ")).AssertProblemAsync(HttpStatusCode.BadRequest);
        var wrongType = await (await PostRawAsync(alice.AccessToken, "/v1/posts", """{"title": 42}""")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(wrongType.ErrorFields(), Is.EqualTo(new[] { "title" }));
    }

    [Test]
    public async Task A_request_body_past_the_size_limit_is_a_413_problem()
    {
        var alice = await Client.MemberAsync("alice");
        var huge = JsonSerializer.Serialize(new { title = "Huge", body = new string('b', 1024 * 1024) });

        var response = await PostRawAsync(alice.AccessToken, "/v1/posts", huge);

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM paseto_auth.posts"), Is.Zero);
    }

    [Test]
    public async Task A_body_of_unknown_length_past_the_size_limit_is_a_413_problem_too()
    {
        var alice = await Client.MemberAsync("alice");
        var huge = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { title = "Huge", body = new string('b', 1024 * 1024) }));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/posts") { Content = new UnknownLengthContent(huge) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", alice.AccessToken);
        // Without this the test client buffers the content and sends a Content-Length after all.
        request.Headers.TransferEncodingChunked = true;

        var response = await Client.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Test]
    public async Task The_size_limit_is_a_setting()
    {
        await using var factory = Factory.WithWebHostBuilder(b => b.UseSetting("Limits:MaxRequestBodyBytes", "2048"));
        using var client = factory.CreateClient();
        var alice = await client.MemberAsync("alice");

        var small = await client.CreatePostAsync(alice.AccessToken, "Small", new string('b', 1000));
        var large = await client.CreatePostAsync(alice.AccessToken, "Large", new string('b', 3000));

        Assert.That(small.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        await large.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Test]
    public async Task The_openapi_document_names_the_posts_operations_and_their_outcomes()
    {
        var document = await Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths");
        var collection = paths.GetProperty("/v1/posts");
        var item = paths.GetProperty("/v1/posts/{id}");

        Assert.Multiple(() =>
        {
            Assert.That(collection.GetProperty("post").GetProperty("operationId").GetString(), Is.EqualTo("createPost"));
            Assert.That(collection.GetProperty("get").GetProperty("operationId").GetString(), Is.EqualTo("listPosts"));
            Assert.That(item.GetProperty("get").GetProperty("operationId").GetString(), Is.EqualTo("getPost"));
            Assert.That(item.GetProperty("patch").GetProperty("operationId").GetString(), Is.EqualTo("updatePost"));
            Assert.That(item.GetProperty("delete").GetProperty("operationId").GetString(), Is.EqualTo("deletePost"));
            Assert.That(item.GetProperty("patch").GetProperty("responses").EnumerateObject().Select(r => r.Name),
                Is.SupersetOf(new[] { "200", "400", "401", "403", "404", "412", "413" }));
            Assert.That(item.GetProperty("patch").GetProperty("parameters").EnumerateArray()
                .Any(p => p.GetProperty("name").GetString() == "If-Match" && p.GetProperty("in").GetString() == "header"), Is.True);
            Assert.That(collection.GetProperty("get").GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()),
                Is.EquivalentTo(new[] { "limit", "cursor", "author" }));
            Assert.That(document.GetProperty("components").GetProperty("schemas").GetProperty("PostView").GetProperty("properties")
                .EnumerateObject().Select(p => p.Name),
                Is.EquivalentTo(new[] { "id", "author", "title", "body", "created_at", "updated_at", "version" }));
        });
    }

    private Task<HttpResponseMessage> PostRawAsync(string accessToken, string path, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        return Client.SendAsync(request);
    }

    /// <summary>JSON content that does not say how long it is, as in a chunked upload.</summary>
    private sealed class UnknownLengthContent : HttpContent
    {
        private readonly byte[] _bytes;

        public UnknownLengthContent(byte[] bytes)
        {
            _bytes = bytes;
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(_bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    [TestCase("{0}")]
    [TestCase("W/{0}")]
    [TestCase("\"0-1\", {0}")]
    [TestCase("*")]
    public async Task If_none_match_naming_the_current_etag_is_a_304_with_the_etag_and_no_body(string format)
    {
        var alice = await Client.MemberAsync("alice");
        var created = await Client.CreatePostAsync(alice.AccessToken, "Hello");
        var etag = created.ETag();

        var response = await Client.GetPostIfNoneMatchAsync(alice.AccessToken, (await created.Content.ReadFromJsonAsync<JsonElement>()).Id(), string.Format(System.Globalization.CultureInfo.InvariantCulture, format, etag));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        Assert.That(response.ETag(), Is.EqualTo(etag));
        Assert.That(await response.Content.ReadAsByteArrayAsync(), Is.Empty);
    }

    [TestCase("stale")]
    [TestCase("not a tag")]
    public async Task If_none_match_with_a_stale_or_unreadable_value_gets_the_200(string kind)
    {
        var alice = await Client.MemberAsync("alice");
        var created = await Client.CreatePostAsync(alice.AccessToken, "Hello");
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).Id();
        await Client.PatchPostAsync(alice.AccessToken, id, new { title = "Changed" });

        var response = await Client.GetPostIfNoneMatchAsync(alice.AccessToken, id, kind == "stale" ? created.ETag() : "garbage");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.ETag(), Is.EqualTo($"\"{id}-2\""));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString(), Is.EqualTo("Changed"));
    }

    [Test]
    public async Task If_none_match_any_on_a_post_that_does_not_exist_is_a_404()
    {
        var alice = await Client.MemberAsync("alice");

        var response = await Client.GetPostIfNoneMatchAsync(alice.AccessToken, 999, "*");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
