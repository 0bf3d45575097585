using System.Globalization;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Paseto.Auth.Api.Controllers;
using Paseto.Auth.Domain.SecurityEvents;
using Paseto.Auth.Domain.Users;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.OpenApi;

/// <summary>
/// The rules the document follows, each checked on every operation of the served document, so
/// that a new operation, or a change to the conventions in src/Api/OpenApi, cannot quietly break
/// one. Whether the service really answers what the rules list is <see cref="PipelineStatusTests"/>'s part.
/// </summary>
public sealed class OpenApiConventionTests : ApiTestBase
{
    private JsonElement _document;
    private List<(string Name, JsonElement Operation)> _operations = [];

    [OneTimeSetUp]
    public async Task ReadDocument()
    {
        _document = await Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        _operations = [.. _document.GetProperty("paths").EnumerateObject()
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

                // Token introspection authenticates a resource server, not a user: HTTP Basic alone.
                var expected = name.StartsWith("POST /v1/token/introspect ", StringComparison.Ordinal)
                    ? new[] { """{"introspection_client":[]}""" }
                    : new[] { """{"bearer":[]}""", """{"password":[]}""" };
                Assert.That(security.EnumerateArray().Select(r => JsonSerializer.Serialize(r)), Is.EqualTo(expected), name);
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
                    // Login's 403 has one schema of its own, with the second factor's members (DESIGN §9).
                    var expected = response.Name == "400" ? "ValidationProblem" : name == "POST /v1/login (login)" && response.Name == "403" ? "MfaRequiredProblem" : "Problem";
                    Assert.That(content[0].Value.GetProperty("schema").GetProperty("$ref").GetString(),
                        Is.EqualTo($"#/components/schemas/{expected}"), $"{name} {response.Name}");
                }
            }
        });
    }

    [Test]
    public void Every_error_but_a_400_shows_an_example_problem_of_its_own_status()
    {
        Assert.Multiple(() =>
        {
            foreach (var (name, operation) in _operations)
            {
                foreach (var response in operation.GetProperty("responses").EnumerateObject().Where(r => int.Parse(r.Name, CultureInfo.InvariantCulture) > 400))
                {
                    var problem = response.Value.GetProperty("content").GetProperty("application/problem+json");
                    Assert.That(problem.TryGetProperty("example", out var example) ? example.GetProperty("status").GetInt32().ToString(CultureInfo.InvariantCulture) : "none",
                        Is.EqualTo(response.Name), $"{name} {response.Name}");
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
        Assert.Multiple(() =>
        {
            // Login and signup are throttled; the three that re-check the current password are too.
            foreach (var id in new[] { "login", "signup", "changePassword", "updateMe", "deactivateMe" })
            {
                Assert.That(Statuses(Operation(id)), Does.Contain(429), id);
            }

            // A matching If-None-Match is answered 304.
            Assert.That(Statuses(Operation("getPost")), Does.Contain(304));
        });
    }

    [Test]
    public void Login_is_one_operation_taking_json_or_the_form_of_the_password_grant_with_the_fields_the_form_action_reads()
    {
        var login = Operation("login");
        var content = login.GetProperty("requestBody").GetProperty("content");
        var form = _document.GetProperty("components").GetProperty("schemas").GetProperty("LoginForm");
        var formFields = typeof(AuthController).GetMethod(nameof(AuthController.LoginWithForm))!.GetParameters()
            .Select(p => p.GetCustomAttribute<FromFormAttribute>()?.Name)
            .OfType<string>();

        Assert.Multiple(() =>
        {
            Assert.That(content.EnumerateObject().Select(c => c.Name), Is.EqualTo(new[] { "application/json", "application/x-www-form-urlencoded" }));
            Assert.That(content.GetProperty("application/x-www-form-urlencoded").GetProperty("schema").GetProperty("$ref").GetString(),
                Is.EqualTo("#/components/schemas/LoginForm"));
            Assert.That(form.GetProperty("properties").EnumerateObject().Select(p => p.Name), Is.EquivalentTo(formFields));
            Assert.That(_operations.Count(o => o.Name.StartsWith("POST /v1/login ", StringComparison.Ordinal)), Is.EqualTo(1));
        });
    }

    [Test]
    public void The_post_operations_name_their_ETag_and_the_conditions_they_take()
    {
        static bool HasETag(JsonElement operation, string status) =>
            operation.GetProperty("responses").GetProperty(status).GetProperty("headers").TryGetProperty("ETag", out _);
        static string[] Headers(JsonElement operation) =>
            [.. operation.GetProperty("parameters").EnumerateArray().Where(p => p.GetProperty("in").GetString() == "header").Select(p => p.GetProperty("name").GetString()!)];

        Assert.Multiple(() =>
        {
            Assert.That(HasETag(Operation("createPost"), "201"), Is.True);
            Assert.That(HasETag(Operation("getPost"), "200") && HasETag(Operation("getPost"), "304"), Is.True);
            Assert.That(HasETag(Operation("updatePost"), "200"), Is.True);
            Assert.That(Headers(Operation("getPost")), Is.EqualTo(new[] { "If-None-Match" }));
            Assert.That(Headers(Operation("updatePost")), Is.EqualTo(new[] { "If-Match" }));
            Assert.That(Headers(Operation("deletePost")), Is.EqualTo(new[] { "If-Match" }));
        });
    }

    [Test]
    public void The_health_endpoints_are_anonymous_GET_operations_answering_their_status_or_a_503_problem()
    {
        var paths = _document.GetProperty("paths");

        Assert.Multiple(() =>
        {
            foreach (var path in new[] { "/health/live", "/health/ready" })
            {
                var get = paths.GetProperty(path).GetProperty("get");
                var responses = get.GetProperty("responses");
                Assert.That(paths.GetProperty(path).EnumerateObject().Select(m => m.Name), Is.EqualTo(new[] { "get" }), path);
                Assert.That(responses.GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString(),
                    Is.EqualTo("#/components/schemas/HealthResponse"), path);
                Assert.That(Statuses(get), Is.EquivalentTo(new[] { 200, 413, 431, 503 }), path);
                Assert.That(get.GetProperty("security").GetArrayLength(), Is.Zero, path);
            }
        });
    }

    [Test]
    public void Operations_come_by_tag_in_alphabetical_order_whatever_the_controllers_are_called_and_health_last()
    {
        var tags = _operations.Select(o => o.Operation.GetProperty("tags")[0].GetString()!).ToList();
        var runs = tags.Where((tag, i) => i == 0 || tags[i - 1] != tag).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(runs, Is.Unique, "each tag's operations in one run");
            Assert.That(runs[^1], Is.EqualTo("Health"), "added by the document, after the controllers");
            Assert.That(runs[..^1], Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal));
            Assert.That(runs, Does.Contain("Events"), "SecurityEventsController keeps the tag of its operations");
        });
    }

    [Test]
    public void Every_property_of_every_schema_has_an_example_but_arrays_whose_items_have_theirs()
    {
        var missing = _document.GetProperty("components").GetProperty("schemas").EnumerateObject()
            .SelectMany(schema => schema.Value.TryGetProperty("properties", out var properties)
                ? properties.EnumerateObject()
                    .Where(p => !p.Value.TryGetProperty("example", out _) && !(p.Value.TryGetProperty("type", out var type) && type.GetString() == "array"))
                    .Select(p => $"{schema.Name}.{p.Name}")
                : [])
            .ToList();

        Assert.That(missing, Is.Empty);
    }

    [Test]
    public void Roles_and_event_types_are_named_sets_of_the_values_the_service_knows()
    {
        var schemas = _document.GetProperty("components").GetProperty("schemas");
        static string[] Values(JsonElement schema) => [.. schema.GetProperty("enum").EnumerateArray().Select(v => v.GetString()!)];

        Assert.Multiple(() =>
        {
            Assert.That(Values(schemas.GetProperty("Role")), Is.EqualTo(Roles.All));
            Assert.That(Values(schemas.GetProperty("SecurityEventType")), Is.EqualTo(SecurityEventTypes.All));
            Assert.That(schemas.GetProperty("UserProfile").GetProperty("properties").GetProperty("role").GetProperty("allOf")[0].GetProperty("$ref").GetString(),
                Is.EqualTo("#/components/schemas/Role"));
            Assert.That(schemas.GetProperty("SecurityEventInfo").GetProperty("properties").GetProperty("type").GetProperty("allOf")[0].GetProperty("$ref").GetString(),
                Is.EqualTo("#/components/schemas/SecurityEventType"));
        });
    }

    private JsonElement Operation(string id) => _operations.Single(o => o.Operation.GetProperty("operationId").GetString() == id).Operation;

    private static int[] Statuses(JsonElement operation) =>
        [.. operation.GetProperty("responses").EnumerateObject().Select(r => int.Parse(r.Name, CultureInfo.InvariantCulture))];
}
