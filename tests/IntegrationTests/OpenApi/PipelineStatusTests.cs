using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Paseto.Auth.IntegrationTests.Fuzz;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.OpenApi;

/// <summary>
/// The statuses the pipeline answers on its own, before or instead of an operation's use case,
/// provoked for every operation of the document: whatever they answer is listed for the
/// operation, and each of them the operation lists is one it answers. The probes are answered
/// before any action runs (or by an action that reads nothing), so they change nothing.
/// </summary>
public sealed class PipelineStatusTests : ApiTestBase
{
    /// <summary>The statuses the document's conventions add; an operation's own attributes may list 401 for wrong credentials.</summary>
    private static readonly int[] _pipelineStatuses = [400, 413, 415, 431, 503];

    [Test]
    public async Task Every_operation_lists_the_pipeline_statuses_it_answers_and_no_others()
    {
        var document = new OpenApiOperations(await Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json"));
        // An admin passes every authorization check, so each probe reaches the step it is about.
        await Client.SignupOkAsync("prober");
        await ScalarAsync<int>("UPDATE paseto_auth.users SET role = 'admin' WHERE username = 'prober'");
        // A port nothing listens on: every connection is refused.
        await using var offline = new ApiFactory($"Host=127.0.0.1;Port={LoopbackPort.Free()};Database=none;Username=none;Password=none;Timeout=2");
        using var offlineClient = offline.CreateClient();

        var failures = new List<string>();
        foreach (var operation in document.All)
        {
            // A session of its own: a probe an action reads nothing of runs it (logout ends the session).
            var token = (await Client.LoginOkAsync("prober")).AccessToken;
            var answers = new List<(string Probe, int Status)>();
            async Task ProbeAsync(string probe, HttpClient client, HttpContent? content, string? accessToken, Action<HttpRequestMessage>? adjust = null)
            {
                using var request = new HttpRequestMessage(new HttpMethod(operation.Method), PathOf(operation)) { Content = content };
                if (accessToken is not null)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
                }

                adjust?.Invoke(request);
                using var response = await client.SendAsync(request);
                answers.Add((probe, (int)response.StatusCode));
            }

            await ProbeAsync("headers over the limit", Client, null, token, r => r.Headers.Add("X-Padding", new string('a', 20_000)));
            await ProbeAsync("a body over the limit", Client, Bytes(new byte[(256 * 1024) + 1], "application/octet-stream"), token);
            await ProbeAsync("a broken form body", Client, Bytes("garbage"u8.ToArray(), "multipart/form-data; boundary=x"), token);
            await ProbeAsync("a form field named in jQuery's bracket syntax, unclosed", Client, Bytes("a[=1"u8.ToArray(), "application/x-www-form-urlencoded"), token);
            await ProbeAsync("a token, the database unreachable", offlineClient, operation.BodySchema is { } schema ? Json(ValidBody(document, schema)) : null, token);
            if (operation.BodySchema is { } body)
            {
                await ProbeAsync("malformed JSON", Client, Bytes("{\"a\":"u8.ToArray(), "application/json"), token);
                await ProbeAsync("a text/plain body", Client, Bytes("text"u8.ToArray(), "text/plain"), token);
                await ProbeAsync("no token, the database unreachable", offlineClient, Json(ValidBody(document, body)), null);
            }

            var query = operation.Parameters.Where(p => p.In == "query").Select(p => $"{p.Name}=not+valid").ToList();
            if (query.Count > 0)
            {
                await ProbeAsync("query values that do not parse", Client, null, token, r => r.RequestUri = new Uri(PathOf(operation) + "?" + string.Join('&', query), UriKind.Relative));
            }

            foreach (var header in operation.Parameters.Where(p => p.In == "header"))
            {
                await ProbeAsync($"an {header.Name} that does not parse", Client, null, token, r => r.Headers.TryAddWithoutValidation(header.Name, "not valid"));
            }

            if (!operation.IsAnonymous)
            {
                await ProbeAsync("no token", Client, null, null);
            }

            failures.AddRange(answers
                .Where(a => !operation.Statuses.Contains(a.Status))
                .Select(a => $"{operation.Id}: {a.Probe} answered {a.Status}, which it does not list"));
            failures.AddRange(_pipelineStatuses
                .Where(status => operation.Statuses.Contains(status) && answers.All(a => a.Status != status))
                .Select(status => $"{operation.Id} lists {status}, which it does not answer"));
        }

        Assert.That(failures, Is.Empty, string.Join("\n", failures));
    }

    /// <summary>The operation's address with a well-formed value for each path parameter.</summary>
    private static string PathOf(Operation operation) =>
        "/" + string.Join('/', operation.Segments.Select(segment =>
        {
            if (!segment.StartsWith('{'))
            {
                return segment;
            }

            var schema = operation.Parameters.First(p => p.In == "path" && p.Name == segment.Trim('{', '}')).Schema;
            return (schema.TryGetProperty("type", out var type) ? type.GetString() : null, schema.TryGetProperty("format", out var format) ? format.GetString() : null) switch
            {
                ("integer", _) => "1",
                (_, "uuid") => Guid.NewGuid().ToString(),
                _ => "prober",
            };
        }));

    /// <summary>A body that passes validation, so that the operation goes on to the database.</summary>
    private static JsonObject ValidBody(OpenApiOperations document, JsonElement schema)
    {
        var body = new JsonObject();
        foreach (var property in document.Resolve(schema).GetProperty("properties").EnumerateObject())
        {
            body[property.Name] = property.Name switch
            {
                "username" => "newcomer",
                "email" => "newcomer@example.test",
                "password" or "current_password" or "new_password" => ApiClientExtensions.Password,
                "firstname" => "Newcomer",
                "referer_secret" => ApiClientExtensions.RefererSecret,
                "refresh_token" => "a refresh token",
                "title" => "A title",
                _ => null,
            };
        }

        return body;
    }

    private static ByteArrayContent Bytes(byte[] bytes, string contentType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    private static StringContent Json(JsonObject body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");
}
