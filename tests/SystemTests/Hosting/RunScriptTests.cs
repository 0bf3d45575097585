using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.SystemTests.Hosting;

/// <summary>
/// <c>scripts/run.sh</c> as a new user runs it: it listens where <c>ASPNETCORE_URLS</c> says, and
/// tells where the API, its docs and the account console are, the Development referer secret, and how to sign up and
/// log in, with commands that work as printed; without an SMTP host it starts a local mail sink
/// and says where the mails are read (the verification mail of that signup is there). The pages a
/// browser opens (docs, console) are printed at <c>localhost</c>: passkeys need a domain as
/// relying-party id, which an IP address cannot be.
/// </summary>
public sealed class RunScriptTests : ApiTestBase
{
    [Test]
    public async Task Run_sh_listens_on_ASPNETCORE_URLS_and_prints_where_the_api_is_and_how_to_log_in()
    {
        var port = LoopbackPort.FreeBelowEphemeralRange(26080, []);
        var baseUrl = $"http://127.0.0.1:{port}";
        var printedUrl = $"http://localhost:{port}";
        var start = new ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = TestPostgres.RepositoryRoot(),
        };
        foreach (var argument in new[] { "bash", Path.Combine(TestPostgres.RepositoryRoot(), "scripts", "run.sh"), "--no-build" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_URLS"] = baseUrl;
        // The older name loses to ASPNETCORE_URLS: nothing listens on port 1.
        start.Environment["URLS"] = "http://127.0.0.1:1";
        start.Environment["ConnectionStrings__Postgres"] = Factory.ConnectionString;
        foreach (var unset in new[] { "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT", "DATABASE_URL", "REFERER_SECRET", "Auth__RefererSecret", "Email__Smtp__Host" })
        {
            start.Environment.Remove(unset);
        }

        var output = new ConcurrentQueue<string>();
        using var script = Process.Start(start)!;
        string? sink = null;
        script.OutputDataReceived += (_, e) => Collect(output, e.Data);
        script.ErrorDataReceived += (_, e) => Collect(output, e.Data);
        script.BeginOutputReadLine();
        script.BeginErrorReadLine();
        try
        {
            await WaitUntilReadyAsync(script, baseUrl, output);
            var printed = output.ToList();

            Assert.That(printed, Has.Some.Contains($"API: {baseUrl}"), string.Join("\n", printed));
            Assert.That(printed, Has.Some.Contains($"{printedUrl}/docs"));
            Assert.That(printed, Has.Some.Contains("account console").And.Contains($"{printedUrl}/account/"));
            Assert.That(printed, Has.Some.Contains("referer secret").And.Contains("DEMO_PROJECT"));
            var commands = printed.Select(l => l.Trim()).Where(l => l.StartsWith("curl ", StringComparison.Ordinal)).ToList();
            Assert.That(commands, Has.Count.EqualTo(2), string.Join("\n", printed));
            Assert.That(commands[0], Does.Contain($"{baseUrl}/v1/users/signup"));
            Assert.That(commands[1], Does.Contain($"{baseUrl}/v1/login"));

            var signup = await RunBashAsync(commands[0]);
            var login = await RunBashAsync(commands[1]);

            Assert.That(signup, Does.Contain("\"username\""), "the printed signup works as printed");
            Assert.That(login, Does.Contain("\"access_token\""), "the printed login works as printed");
            sink = printed.Select(l => System.Text.RegularExpressions.Regex.Match(l, @"read them at (http://127\.0\.0\.1:\d+)"))
                .FirstOrDefault(m => m.Success)?.Groups[1].Value;
            Assert.That(sink, Is.Not.Null, string.Join("\n", printed));
            await WaitForMailAsync(sink!, "alice@example.com");
        }
        finally
        {
            // run.sh execs dotnet run, which starts the API: setsid made them one process group.
            using (var kill = Process.Start("kill", $"-TERM -- -{script.Id}"))
            {
                await kill.WaitForExitAsync();
            }

            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await script.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                using var killHard = Process.Start("kill", $"-KILL -- -{script.Id}");
                await killHard.WaitForExitAsync();
            }
        }

        if (sink is not null)
        {
            using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            Assert.That(async () => await probe.GetAsync($"{sink}/api/messages"), Throws.InstanceOf<HttpRequestException>(), "the sink stops with the API");
        }
    }

    /// <summary>The sink's API lists the mail sent to <paramref name="to"/>, as its page shows it.</summary>
    private static async Task WaitForMailAsync(string sink, string to)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        var last = string.Empty;
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            last = await client.GetStringAsync($"{sink}/api/messages");
            if (last.Contains(to, StringComparison.OrdinalIgnoreCase) && last.Contains("Confirm your email address", StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(250);
        }

        Assert.Fail($"No verification mail to {to} in the sink: {last}");
    }

    private static void Collect(ConcurrentQueue<string> output, string? line)
    {
        if (line is not null)
        {
            output.Enqueue(line);
        }
    }

    private static async Task WaitUntilReadyAsync(Process script, string baseUrl, ConcurrentQueue<string> output)
    {
        using var client = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(3))
        {
            Assert.That(script.HasExited, Is.False, () => $"run.sh exited:\n{string.Join("\n", output)}");
            try
            {
                using var response = await client.GetAsync("/health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(250);
        }

        Assert.Fail($"run.sh did not get ready on {baseUrl}:\n{string.Join("\n", output)}");
    }

    private static async Task<string> RunBashAsync(string command)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.That(process.ExitCode, Is.Zero, $"{command}\n{output}\n{error}");
        return output;
    }
}
