using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Paseto.Auth.IntegrationTests.Fuzz;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.OpenApi;

/// <summary>
/// What the document says a request may hold is what the service takes: every length, pattern,
/// format, set of values and range it states for a request's fields and query parameters is tried
/// at its edge (accepted) and one past it (a 400 naming the field), and the examples it gives make
/// requests that pass validation. Sent by an admin whose password is not the examples', so no
/// example request changes the account that sends them.
/// </summary>
public sealed class SchemaLimitTests : ApiTestBase
{
    private const string ProberPassword = "a passphrase no example has";

    private JsonElement _document;
    private OpenApiOperations _operations = null!;
    private string _token = null!;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        // Accepted signups count against the address's budget, and the examples' wrong current
        // passwords against the step-up limits; those limits have tests of their own.
        ["Auth:Throttling:SignupsPerAddressPerHour"] = "100000",
        ["Auth:Throttling:StepUpFailuresPerSession"] = "100000",
        ["Auth:Throttling:StepUpFailuresPerHour"] = "100000",
    };

    [SetUp]
    public async Task SignUpTheProber()
    {
        _document = await Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        _operations = new OpenApiOperations(_document);
        await Client.SignupOkAsync("prober", password: ProberPassword);
        await ScalarAsync<int>("UPDATE paseto_auth.users SET role = 'admin' WHERE username = 'prober'");
        _token = (await Client.LoginOkAsync("prober", ProberPassword)).AccessToken;
    }

    [Test]
    public async Task The_examples_of_every_request_body_pass_validation()
    {
        var failures = new List<string>();
        var tried = 0;
        foreach (var (operation, contentType, schema) in Bodies())
        {
            var (status, body) = await SendAsync(operation, contentType, Example(schema));
            tried++;
            // A mailed one-time token (DESIGN §8) exists only once a mail was sent, so no example
            // can hold a live one: its body is well-formed when the token is all that is refused.
            // Nor a passkey ceremony's challenge (DESIGN §11), which exists only once options were asked for.
            var answer = JsonSerializer.Deserialize<JsonElement>(body);
            var onlyTheMailedToken = status == HttpStatusCode.BadRequest
                && ((answer.TryGetProperty("errors", out var errors) && errors.EnumerateObject().Select(e => e.Name).SequenceEqual(["token"]))
                    || (answer.TryGetProperty("type", out var type) && type.GetString() == "/problems/passkey-challenge-invalid"));
            if (status is HttpStatusCode.BadRequest or >= HttpStatusCode.InternalServerError && !onlyTheMailedToken)
            {
                failures.Add($"{operation.Id} ({contentType}): the example answered {(int)status}: {body}");
            }
        }

        Assert.That(tried, Is.GreaterThanOrEqualTo(10));
        Assert.That(failures, Is.Empty, string.Join("\n", failures));
    }

    [Test]
    public async Task Every_stated_limit_of_a_request_field_is_where_validation_draws_the_line()
    {
        var failures = new List<string>();
        var cases = 0;
        foreach (var (operation, contentType, schema) in Bodies())
        {
            foreach (var property in _operations.Resolve(schema).GetProperty("properties").EnumerateObject())
            {
                foreach (var (label, value, refused) in Edges(property.Value))
                {
                    var body = Example(schema);
                    body[property.Name] = value;
                    var (status, answer) = await SendAsync(operation, contentType, body);
                    cases++;
                    if (Misjudged(property.Name, refused, status, answer) is { } failure)
                    {
                        failures.Add($"{operation.Id} ({contentType}) {property.Name} {label}: {failure}");
                    }
                }
            }
        }

        Assert.That(cases, Is.GreaterThan(50));
        Assert.That(failures, Is.Empty, string.Join("\n", failures));
    }

    [Test]
    public async Task Every_stated_limit_of_a_query_parameter_is_where_validation_draws_the_line()
    {
        var failures = new List<string>();
        var cases = 0;
        foreach (var operation in _operations.All)
        {
            foreach (var parameter in operation.Parameters.Where(p => p.In == "query"))
            {
                foreach (var (label, value, refused) in Edges(parameter.Schema))
                {
                    var text = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value!.ToJsonString();
                    var (status, answer) = await SendAsync(operation, null, null, $"?{parameter.Name}={Uri.EscapeDataString(text)}");
                    cases++;
                    if (Misjudged(parameter.Name, refused, status, answer) is { } failure)
                    {
                        failures.Add($"{operation.Id} ?{parameter.Name} {label}: {failure}");
                    }
                }
            }
        }

        Assert.That(cases, Is.GreaterThan(20));
        Assert.That(failures, Is.Empty, string.Join("\n", failures));
    }

    /// <summary>The values at the edges of what a schema states, and whether each must be refused.</summary>
    private IEnumerable<(string Label, JsonNode? Value, bool Refused)> Edges(JsonElement declared)
    {
        var schema = _operations.Resolve(declared);
        var format = schema.TryGetProperty("format", out var f) ? f.GetString() : null;
        if (schema.TryGetProperty("enum", out var values))
        {
            foreach (var value in values.EnumerateArray())
            {
                yield return ($"= {value}", JsonNode.Parse(value.GetRawText()), false);
            }

            yield return ("outside the set", "not-one-of-them", true);
        }

        if (schema.TryGetProperty("maxLength", out var max))
        {
            yield return ($"of {max} characters", Text(max.GetInt32(), format), false);
            yield return ($"of {max.GetInt32() + 1} characters", Text(max.GetInt32() + 1, format), true);
        }

        if (schema.TryGetProperty("minLength", out var min))
        {
            yield return ($"of {min} characters", Text(min.GetInt32(), format), false);
            yield return ($"of {min.GetInt32() - 1} characters", Text(min.GetInt32() - 1, format), true);
        }

        if (schema.TryGetProperty("pattern", out _))
        {
            yield return ("with a space, which the pattern refuses", "not allowed", true);
        }

        if (format == "email")
        {
            yield return ("that is not an email", "not-an-email", true);
        }

        // The document writes its bounds as decimals (100.0).
        if (schema.TryGetProperty("maximum", out var maximum))
        {
            var value = (int)maximum.GetDecimal();
            yield return ($"= {value}", value, false);
            yield return ($"= {value + 1}", value + 1, true);
        }

        if (schema.TryGetProperty("minimum", out var minimum))
        {
            var value = (int)minimum.GetDecimal();
            yield return ($"= {value}", value, false);
            yield return ($"= {value - 1}", value - 1, true);
        }
    }

    /// <summary>Text of exactly <paramref name="length"/> characters that breaks no other rule: letters and digits, or an email.</summary>
    private static string Text(int length, string? format)
    {
        const string domain = ".example.test";
        if (format == "email" && length >= 3 + domain.Length)
        {
            return "a@" + Text(length - 2 - domain.Length, null) + domain;
        }

        // Varied, so that no password policy takes it for a common password.
        var random = new Random(length);
        return string.Concat(Enumerable.Range(0, length).Select(_ => "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"[random.Next(56)]));
    }

    private IEnumerable<(Operation Operation, string ContentType, JsonElement Schema)> Bodies() =>
        _operations.All.SelectMany(o => o.Bodies.Select(b => (o, b.Key, b.Value)));

    /// <summary>A body of the schema's examples; the signup secret is this host's, not the Development one of the examples.</summary>
    private JsonObject Example(JsonElement schema)
    {
        var body = new JsonObject();
        foreach (var property in _operations.Resolve(schema).GetProperty("properties").EnumerateObject())
        {
            body[property.Name] = property.Name == "referer_secret" ? ApiClientExtensions.RefererSecret
                : property.Value.TryGetProperty("example", out var example) ? JsonNode.Parse(example.GetRawText()) : null;
        }

        return body;
    }

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(Operation operation, string? contentType, JsonObject? body, string query = "")
    {
        using var request = new HttpRequestMessage(new HttpMethod(operation.Method), PathOf(operation) + query);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        if (body is not null)
        {
            request.Content = contentType == "application/x-www-form-urlencoded"
                ? new FormUrlEncodedContent(body.Where(f => f.Value is not null).Select(f => KeyValuePair.Create(f.Key, f.Value!.ToString())))
                : new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The operation's address with each path parameter's example.</summary>
    private string PathOf(Operation operation)
    {
        var parameters = _document.GetProperty("paths").GetProperty(operation.PathTemplate).GetProperty(operation.Method.ToLowerInvariant())
            .TryGetProperty("parameters", out var list) ? list.EnumerateArray().ToList() : [];
        return "/" + string.Join('/', operation.Segments.Select(segment => segment.StartsWith('{')
            ? Uri.EscapeDataString(parameters.Single(p => p.GetProperty("name").GetString() == segment.Trim('{', '}')).GetProperty("example").ToString())
            : segment));
    }

    /// <summary>Null when the answer is right: a value to refuse is a 400 naming the field, any other is no 400.</summary>
    private static string? Misjudged(string field, bool refused, HttpStatusCode status, string answer)
    {
        var right = refused ? status == HttpStatusCode.BadRequest && Errors(answer).Contains(field) : status != HttpStatusCode.BadRequest;
        return right ? null : $"{(refused ? "expected a 400 naming it" : "expected no 400")}, got {(int)status}: {answer}";
    }

    private static string[] Errors(string problem)
    {
        using var json = JsonDocument.Parse(problem);
        return json.RootElement.TryGetProperty("errors", out var errors) ? [.. errors.EnumerateObject().Select(e => e.Name)] : [];
    }
}
