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
/// printed). Every answer must be: not a 5xx, given at all and in time, a problem+json when an
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
    public async Task Every_operation_answers_valid_and_mutated_requests_with_documented_statuses_and_clean_problems()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), CultureInfo.InvariantCulture, out var s) ? s : Random.Shared.Next();
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SECONDS"), CultureInfo.InvariantCulture, out var d) ? d : 50;
        var random = new Random(seed);
        using var documentResponse = await Client.GetAsync("/openapi/v1.json");
        var document = new OpenApiOperations(await documentResponse.Content.ReadFromJsonAsync<JsonElement>());
        Assert.That(document.All, Is.Not.Empty);

        var member = await NewMemberAsync(0);
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
                member = await NewMemberAsync(sent);
            }

            var request = generator.Next();
            sent++;
            var problem = await CheckAsync(document, request, member.Token);
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

    private async Task<(string Name, string Token)> NewMemberAsync(int n)
    {
        var name = $"fuzz_{n}";
        await Client.SignupOkAsync(name);
        return (name, (await Client.LoginOkAsync(name)).AccessToken);
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
            var operation = document.Route(request.Method, path);
            var listed = operation?.Statuses.ToArray() ?? _noOperationStatuses;
            if (status >= 500)
            {
                return (status, $"{status} server error: {Shorten(body)}");
            }

            if (!listed.Contains(status))
            {
                return (status, $"{status} is not listed for {operation?.Id ?? "an unknown address"} (listed: {string.Join(", ", listed.Order())}): {Shorten(body)}");
            }

            if (status >= 400)
            {
                var contentType = response.Content.Headers.ContentType?.MediaType;
                if (contentType != "application/problem+json")
                {
                    return (status, $"{status} answered as {contentType ?? "no content type"}, not problem+json: {Shorten(body)}");
                }

                try
                {
                    using var problem = JsonDocument.Parse(body);
                    if (!problem.RootElement.TryGetProperty("status", out var s) || s.GetInt32() != status)
                    {
                        return (status, $"{status} problem without a matching status: {Shorten(body)}");
                    }
                }
                catch (JsonException)
                {
                    return (status, $"{status} problem that is not JSON: {Shorten(body)}");
                }

                if (TokenPattern().IsMatch(body))
                {
                    return (status, $"{status} problem carries a token: {Shorten(body)}");
                }
            }

            if (InternalsPattern().Match(body) is { Success: true } leak)
            {
                return (status, $"{status} body carries internals ('{leak.Value}'): {Shorten(body)}");
            }

            if (body.Contains(memberToken, StringComparison.Ordinal))
            {
                return (status, $"{status} body echoes the access token");
            }

            return (status, null);
        }
    }

    private static string Shorten(string body) => body.Length <= 300 ? body : body[..300] + "…";

    [GeneratedRegex(@"v4\.(local|public)\.[A-Za-z0-9_-]{20,}")]
    private static partial Regex TokenPattern();

    [GeneratedRegex(@"\bat [\w.<>`]+\(|Exception\b|\bSystem\.[A-Z]|\bMicrosoft\.[A-Z]|Npgsql|PostgreSQL|SQLSTATE|\bSELECT\b|\bINSERT INTO\b|\bUPDATE \w+ SET\b|\$argon2id\$|Paseto\.Auth\.|\.cs:line \d+")]
    private static partial Regex InternalsPattern();
}
