using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.OpenApi;

/// <summary>
/// The rules the document follows, each checked on every operation of the served document, so
/// that a new operation, or a change to the conventions in src/Api/OpenApi, cannot quietly break
/// one. Whether the service really answers what the rules list is <see cref="PipelineStatusTests"/>'s part.
/// </summary>
public sealed class OpenApiConventionTests : ApiTestBase
{
    private List<(string Name, JsonElement Operation)> _operations = [];

    [OneTimeSetUp]
    public async Task ReadDocument()
    {
        var document = await Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        _operations = [.. document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(method =>
                ($"{method.Name.ToUpperInvariant()} {path.Name} ({method.Value.GetProperty("operationId").GetString()})", method.Value)))];
        Assert.That(_operations, Has.Count.GreaterThan(20));
    }

    [Test]
    public void Every_operation_lists_413_431_and_503_which_the_limits_and_the_database_can_answer_anywhere()
    {
        Assert.Multiple(() =>
        {
            foreach (var (name, operation) in _operations)
            {
                Assert.That(Statuses(operation), Is.SupersetOf(new[] { 413, 431, 503 }), name);
            }
        });
    }

    [Test]
    public void An_operation_that_needs_a_token_takes_either_scheme_without_scopes_and_lists_401_and_any_other_says_security_none()
    {
        Assert.Multiple(() =>
        {
            foreach (var (name, operation) in _operations)
            {
                Assert.That(operation.TryGetProperty("security", out var security), Is.True, $"{name} says what it needs");
                if (security.ValueKind != JsonValueKind.Array || security.GetArrayLength() == 0)
                {
                    continue;
                }

                Assert.That(security.EnumerateArray().Select(r => JsonSerializer.Serialize(r)), Is.EqualTo(new[] { """{"bearer":[]}""", """{"password":[]}""" }), name);
                Assert.That(Statuses(operation), Does.Contain(401), name);
            }
        });
    }

    [Test]
    public void An_operation_that_reads_a_body_lists_400_and_415_and_no_other_lists_415()
    {
        Assert.Multiple(() =>
        {
            foreach (var (name, operation) in _operations)
            {
                if (operation.TryGetProperty("requestBody", out _))
                {
                    Assert.That(Statuses(operation), Is.SupersetOf(new[] { 400, 415 }), name);
                }
                else
                {
                    Assert.That(Statuses(operation), Does.Not.Contain(415), name);
                }
            }
        });
    }

    [Test]
    public void Every_error_is_a_problem_json_a_400_with_its_errors()
    {
        Assert.Multiple(() =>
        {
            foreach (var (name, operation) in _operations)
            {
                foreach (var response in operation.GetProperty("responses").EnumerateObject().Where(r => int.Parse(r.Name, CultureInfo.InvariantCulture) >= 400))
                {
                    var content = response.Value.GetProperty("content").EnumerateObject().ToList();
                    Assert.That(content.Select(c => c.Name), Is.EqualTo(new[] { "application/problem+json" }), $"{name} {response.Name}");
                    Assert.That(content[0].Value.GetProperty("schema").GetProperty("$ref").GetString(),
                        Is.EqualTo(response.Name == "400" ? "#/components/schemas/ValidationProblem" : "#/components/schemas/Problem"), $"{name} {response.Name}");
                }
            }
        });
    }

    [Test]
    public void A_201_names_Location_a_401_WWW_Authenticate_and_a_429_or_503_Retry_After()
    {
        var headers = new Dictionary<string, string> { ["201"] = "Location", ["401"] = "WWW-Authenticate", ["429"] = "Retry-After", ["503"] = "Retry-After" };
        Assert.Multiple(() =>
        {
            foreach (var (name, operation) in _operations)
            {
                foreach (var response in operation.GetProperty("responses").EnumerateObject().Where(r => headers.ContainsKey(r.Name)))
                {
                    Assert.That(response.Value.TryGetProperty("headers", out var named) && named.TryGetProperty(headers[response.Name], out _), Is.True,
                        $"{name} {response.Name} names {headers[response.Name]}");
                }
            }
        });
    }

    [Test]
    public void The_operations_that_check_a_password_list_429_and_reading_a_post_lists_304()
    {
        var byId = _operations.ToDictionary(o => o.Operation.GetProperty("operationId").GetString()!, o => o.Operation);

        Assert.Multiple(() =>
        {
            // Login and signup are throttled; the three that re-check the current password are too.
            foreach (var id in new[] { "login", "signup", "changePassword", "updateMe", "deactivateMe" })
            {
                Assert.That(Statuses(byId[id]), Does.Contain(429), id);
            }

            // A matching If-None-Match is answered 304.
            Assert.That(Statuses(byId["getPost"]), Does.Contain(304));
        });
    }

    private static int[] Statuses(JsonElement operation) =>
        [.. operation.GetProperty("responses").EnumerateObject().Select(r => int.Parse(r.Name, CultureInfo.InvariantCulture))];
}
