using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Fuzz;

/// <summary>
/// Fuzzes every operation of our own OpenAPI document, as a member and anonymously, for a bounded
/// time (<c>FUZZ_SECONDS</c>, default 50) from a seed (<c>FUZZ_SEED</c>, default random, always
/// printed), through the in-memory server and then with raw bytes over a socket. Every answer must be: not a 5xx, given at all and in time, a problem+json when an
/// error, a status the document lists for the operation, and free of internals. Each failure
/// prints a one-line reproduction.
/// </summary>
public sealed partial class FuzzTests : ApiTestBase
{
    private static readonly TimeSpan _answerTimeout = TimeSpan.FromSeconds(10);
    private static readonly int[] _noOperationStatuses = [404, 405, 431];

    /// <summary>The fuzzer signs up its members from one address; the signup budget has its own tests.</summary>
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Auth:Throttling:SignupsPerAddressPerHour"] = "100000",
    };

    [Test]
    public Task Every_operation_answers_valid_and_mutated_requests_with_documented_statuses_and_clean_problems() =>
        FuzzAsync(Client, Seconds(), generator => generator.Next(), CheckAsync);

    /// <summary>
    /// The same over a real socket, with what only a socket carries: bytes above 0x7F in the
    /// headers the API reads, percent-encoded bytes that are not UTF-8 in the path and query, and
    /// raw bytes in the request target (which the server itself must refuse with a 400). A fifth
    /// of <c>FUZZ_SECONDS</c>, at least 5.
    /// </summary>
    [Test]
    public async Task Every_operation_answers_raw_bytes_over_a_socket_with_documented_statuses_and_clean_problems()
    {
        await using var socket = ApiFactory.OnSocket(Factory.ConnectionString, Settings);
        using var client = socket.CreateClient();

        await FuzzAsync(client, Math.Max(5, Seconds() / 5), generator => generator.NextRaw(),
            (document, request, token) => CheckRawAsync(socket.Port, document, request, token));
    }

    private static int Seconds() =>
        int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SECONDS"), CultureInfo.InvariantCulture, out var d) ? d : 50;

    private static async Task FuzzAsync(
        HttpClient client,
        int seconds,
        Func<RequestGenerator, FuzzRequest> next,
        Func<OpenApiOperations, FuzzRequest, string, Task<(int Status, string? Failure)>> check)
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), CultureInfo.InvariantCulture, out var s) ? s : Random.Shared.Next();
        var random = new Random(seed);
        using var documentResponse = await client.GetAsync("/openapi/v1.json");
        var document = new OpenApiOperations(await documentResponse.Content.ReadFromJsonAsync<JsonElement>());
        Assert.That(document.All, Is.Not.Empty);

        var member = await NewMemberAsync(client, 0);
        var generator = new RequestGenerator(document, random, () => member.Token, () => member.Name);
        var failures = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        var operationsSeen = new HashSet<string>();
        var clock = Stopwatch.StartNew();
        var sent = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(seconds) && failures.Count < 50)
        {
            if (sent > 0 && sent % 40 == 0)
            {
                member = await NewMemberAsync(client, sent);
            }

            var request = next(generator);
            sent++;
            var problem = await check(document, request, member.Token);
            if (problem.Failure is not null)
            {
                failures.Add($"{problem.Failure} [{request.Mutation}; FUZZ_SEED={seed}, request #{sent}]\n  REPRO: {request.ToCurl(member.Token)}");
            }

            statuses[problem.Status] = statuses.GetValueOrDefault(problem.Status) + 1;
            operationsSeen.Add(request.Mutation.Split(':')[0]);
        }

        var summary = $"fuzz: FUZZ_SEED={seed}, {sent} requests in {clock.Elapsed.TotalSeconds:F0} s over {operationsSeen.Count} of {document.All.Count} operations; statuses "
            + string.Join(", ", statuses.Select(p => $"{p.Key}×{p.Value}"));
        await TestContext.Progress.WriteLineAsync(summary);
        Assert.That(failures, Is.Empty, summary + "\n" + string.Join("\n", failures.Take(20)));
        Assert.That(operationsSeen, Has.Count.EqualTo(document.All.Count), "every operation was tried");
    }

    private static async Task<(string Name, string Token)> NewMemberAsync(HttpClient client, int n)
    {
        var name = $"fuzz_{n}";
        await client.SignupOkAsync(name);
        return (name, (await client.LoginOkAsync(name)).AccessToken);
    }

    private static async Task<(int Status, string? Failure)> CheckRawAsync(int port, OpenApiOperations document, FuzzRequest request, string memberToken)
    {
        RawHttpAnswer answer;
        try
        {
            answer = await RawHttp.SendAsync(port, request.ToRawHead(), request.Body);
        }
        catch (OperationCanceledException)
        {
            return (0, "no answer in time");
        }

        if (answer.Dropped)
        {
            return (0, "dropped connection");
        }

        if (request.IsRefusedByServer)
        {
            return (answer.Status, answer.Status == 400 ? null : $"{answer.Status} for bytes the server must refuse with a 400: {Shorten(answer.Body)}");
        }

        return (answer.Status, Judge(document, request.Method, request.PathAndQuery.Split('?')[0], answer.Status, answer.ContentType, answer.Body, memberToken));
    }

    private async Task<(int Status, string? Failure)> CheckAsync(OpenApiOperations document, FuzzRequest request, string memberToken)
    {
        using var message = request.ToMessage();
        using var timeout = new CancellationTokenSource(_answerTimeout);
        HttpResponseMessage response;
        string body;
        try
        {
            response = await Client.SendAsync(message, timeout.Token);
            body = await response.Content.ReadAsStringAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return (0, $"no answer within {_answerTimeout.TotalSeconds} s");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return (0, $"dropped connection ({exception.GetType().Name}: {exception.Message})");
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var path = response.RequestMessage?.RequestUri?.AbsolutePath ?? request.PathAndQuery.Split('?')[0];
            return (status, Judge(document, request.Method, path, status, response.Content.Headers.ContentType?.MediaType, body, memberToken));
        }
    }

    /// <summary>Why an answer is wrong, or null: a 5xx, a status the document does not list, an error that is no clean problem, internals or a token in the body.</summary>
    private static string? Judge(OpenApiOperations document, string method, string path, int status, string? contentType, string body, string memberToken)
    {
        var operation = document.Route(method, path);
        var listed = operation?.Statuses.ToArray() ?? _noOperationStatuses;
        if (status >= 500)
        {
            return $"{status} server error: {Shorten(body)}";
        }

        if (!listed.Contains(status))
        {
            return $"{status} is not listed for {operation?.Id ?? "an unknown address"} (listed: {string.Join(", ", listed.Order())}): {Shorten(body)}";
        }

        if (status >= 400)
        {
            if (contentType != "application/problem+json")
            {
                return $"{status} answered as {contentType ?? "no content type"}, not problem+json: {Shorten(body)}";
            }

            try
            {
                using var problem = JsonDocument.Parse(body);
                if (!problem.RootElement.TryGetProperty("status", out var s) || s.GetInt32() != status)
                {
                    return $"{status} problem without a matching status: {Shorten(body)}";
                }

                // DESIGN §2: a type of its own is /problems/<slug>; any other problem is about:blank.
                if (!problem.RootElement.TryGetProperty("type", out var type) || type.GetString() is not { } name
                    || (name != "about:blank" && !ProblemTypePattern().IsMatch(name)))
                {
                    return $"{status} problem whose type is neither about:blank nor /problems/<slug>: {Shorten(body)}";
                }
            }
            catch (JsonException)
            {
                return $"{status} problem that is not JSON: {Shorten(body)}";
            }

            if (TokenPattern().IsMatch(body))
            {
                return $"{status} problem carries a token: {Shorten(body)}";
            }
        }

        if (InternalsPattern().Match(body) is { Success: true } leak)
        {
            return $"{status} body carries internals ('{leak.Value}'): {Shorten(body)}";
        }

        return body.Contains(memberToken, StringComparison.Ordinal) ? $"{status} body echoes the access token" : null;
    }

    private static string Shorten(string body) => body.Length <= 300 ? body : body[..300] + "…";

    [GeneratedRegex("^/problems/[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex ProblemTypePattern();

    [GeneratedRegex(@"v4\.(local|public)\.[A-Za-z0-9_-]{20,}")]
    private static partial Regex TokenPattern();

    [GeneratedRegex(@"\bat [\w.<>`]+\(|Exception\b|\bSystem\.[A-Z]|\bMicrosoft\.[A-Z]|Npgsql|PostgreSQL|SQLSTATE|\bSELECT\b|\bINSERT INTO\b|\bUPDATE \w+ SET\b|\$argon2id\$|Paseto\.Auth\.|\.cs:line \d+")]
    private static partial Regex InternalsPattern();
}
