using System.Net;
using System.Text;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Foundation;

public sealed class ProblemResponseTests : ApiTestBase
{
    private Task<HttpResponseMessage> PostRawAsync(string path, string body, string contentType = "application/json") =>
        Client.PostAsync(path, new StringContent(body, Encoding.UTF8, contentType));

    [Test]
    public async Task Validation_failure_through_the_pipeline_is_a_400_problem_keyed_by_json_names()
    {
        var response = await Client.SignupAsync("x", email: "not-an-email", password: "short");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "email", "password", "username" }));
        Assert.That(problem.GetProperty("errors").GetProperty("password")[0].GetString(), Does.Contain("12"));
    }

    [Test]
    public async Task Malformed_json_is_a_400_problem_of_the_same_shape()
    {
        var response = await PostRawAsync("/v1/users/signup", "{\"username\": \"alice\", ");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "body" }));
    }

    [Test]
    public async Task A_field_of_the_wrong_type_is_reported_under_its_json_name_without_dotnet_type_names()
    {
        var response = await PostRawAsync("/v1/users/signup", """{"username": 42, "referer_secret": "test-referer-secret"}""");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "username" }));
        Assert.That(problem.ToString(), Does.Not.Contain("System.").And.Not.Contain("Paseto.Auth"));
    }

    [Test]
    public async Task An_empty_body_is_a_400_problem()
    {
        var response = await PostRawAsync("/v1/users/signup", "");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "body" }));
    }

    [Test]
    public async Task A_wrong_content_type_is_a_415_problem()
    {
        var response = await PostRawAsync("/v1/users/signup", "username=alice", "text/plain");

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Test]
    public async Task An_unknown_path_is_a_404_problem()
    {
        var response = await Client.GetAsync("/v1/nothing-here");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Routes_answer_with_a_trailing_slash_as_in_the_demo()
    {
        var response = await Client.PostAsync("/v1/users/signup/", System.Net.Http.Json.JsonContent.Create(ApiClientExtensions.SignupBody("slashy")));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    [TestCase(null)]
    [TestCase("*/*")]
    public async Task Login_with_a_content_type_both_login_actions_accept_is_415_not_an_ambiguous_route(string? contentType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/login") { Content = new ByteArrayContent([]) };
        if (contentType is not null)
        {
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        var response = await Client.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [TestCase("text/html")]
    [TestCase("application/xml")]
    [TestCase("image/png, text/plain;q=0.5")]
    public async Task Problems_are_json_whatever_the_accept_header_asks_for(string accept)
    {
        using var unknown = new HttpRequestMessage(HttpMethod.Get, "/v1/nothing-here");
        using var malformed = new HttpRequestMessage(HttpMethod.Post, "/v1/login") { Content = new StringContent("{", Encoding.UTF8, "application/json") };
        using var anonymous = new HttpRequestMessage(HttpMethod.Get, "/v1/users/me");
        foreach (var request in new[] { unknown, malformed, anonymous })
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        await (await Client.SendAsync(unknown)).AssertProblemAsync(HttpStatusCode.NotFound);
        var problem = await (await Client.SendAsync(malformed)).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await Client.SendAsync(anonymous)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "body" }), "the errors are kept");
    }

    [Test]
    public async Task A_problem_without_a_type_of_its_own_is_about_blank()
    {
        var tokens = await Client.MemberAsync("alice");

        var unknownAddress = await (await Client.GetAsync("/v1/nothing-here")).AssertProblemAsync(HttpStatusCode.NotFound);
        var unknownUser = await (await Client.GetAsync("/v1/users/nobody", tokens.AccessToken)).AssertProblemAsync(HttpStatusCode.NotFound);
        var adminsOnly = await (await Client.GetAsync("/v1/users", tokens.AccessToken)).AssertProblemAsync(HttpStatusCode.Forbidden);
        var wrongMethod = await (await Client.PutAsync("/v1/keys", null)).AssertProblemAsync(HttpStatusCode.MethodNotAllowed);

        Assert.Multiple(() =>
        {
            foreach (var problem in new[] { unknownAddress, unknownUser, adminsOnly, wrongMethod })
            {
                Assert.That(problem.GetProperty("type").GetString(), Is.EqualTo("about:blank"), problem.ToString());
            }
        });
    }
}
