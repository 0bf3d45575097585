using System.Collections.Concurrent;
using System.Diagnostics;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.SystemTests.Support;

/// <summary>
/// The built API run as a real process on a free loopback port, for what the in-memory test host
/// cannot show: signals, process death, console output.
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ApiProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public int Port { get; }

    public Uri BaseAddress { get; }

    public int Id => _process.Id;

    public ConcurrentQueue<string> Output { get; } = new();

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    private static string ApiDll => Path.Combine(TestContext.CurrentContext.TestDirectory, "Paseto.Auth.Api.dll");

    /// <summary>Starts the API and waits until it answers <c>/health/live</c>.</summary>
    public static async Task<ApiProcess> StartAsync(string connectionString, IReadOnlyDictionary<string, string>? environment = null, int? port = null)
    {
        var chosen = port ?? LoopbackPort.Free();
        var settings = new Dictionary<string, string> { ["Auth__RefererSecret"] = ApiClientExtensions.RefererSecret };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        var start = StartInfo($"--urls http://127.0.0.1:{chosen}", connectionString, settings);
        var api = new ApiProcess(Process.Start(start)!, chosen);
        api._process.OutputDataReceived += (_, e) => api.Collect(e.Data);
        api._process.ErrorDataReceived += (_, e) => api.Collect(e.Data);
        api._process.BeginOutputReadLine();
        api._process.BeginErrorReadLine();
        await api.WaitUntilLiveAsync();
        return api;
    }

    /// <summary>
    /// Runs the host with <paramref name="arguments"/> (a verb, or host options) until it exits; a
    /// process still running after <paramref name="timeout"/> (a server started by mistake) is
    /// killed and fails the test. Standard input gets <paramref name="stdin"/> and is closed, unless
    /// <paramref name="keepStandardInputOpen"/>: a process that reads it then waits, as at a terminal.
    /// </summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunToExitAsync(
        string arguments,
        string connectionString,
        IReadOnlyDictionary<string, string>? environment = null,
        string? stdin = null,
        TimeSpan? timeout = null,
        bool keepStandardInputOpen = false)
    {
        var start = StartInfo(arguments, connectionString, environment);
        start.RedirectStandardInput = true;
        using var process = Process.Start(start)!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteLineAsync(stdin);
        }

        if (!keepStandardInputOpen)
        {
            process.StandardInput.Close();
        }

        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        using var deadline = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"`{arguments}` was still running after {limit}:\n{await output}\n{await error}");
        }

        return (process.ExitCode, await output, await error);
    }

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>SIGTERM: what a service manager or container runtime sends to stop the service.</summary>
    public void Terminate() => Signal("TERM");

    /// <summary>SIGKILL: the process dies at once, as in a power cut or an OOM kill.</summary>
    public void Kill() => Signal("KILL");

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    /// <summary>The host with the test's database and token key, in the Testing environment unless <paramref name="environment"/> says otherwise.</summary>
    private static ProcessStartInfo StartInfo(string arguments, string connectionString, IReadOnlyDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo("dotnet", $"\"{ApiDll}\" {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = TestContext.CurrentContext.TestDirectory,
        };
        start.Environment["ConnectionStrings__Postgres"] = connectionString;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["Paseto__Keys__0"] = TestKeys.Local;
        start.Environment["Auth__Mfa__Keys__0"] = TestKeys.Mfa;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return start;
    }

    private void Collect(string? line)
    {
        if (line is not null)
        {
            Output.Enqueue(line);
        }
    }

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", $"-{signal} {_process.Id}");
        kill.WaitForExit();
    }

    private async Task WaitUntilLiveAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The API exited with {_process.ExitCode}:\n{string.Join("\n", Output)}");
            }

            try
            {
                using var response = await client.GetAsync("/health/live");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The API did not start:\n{string.Join("\n", Output)}");
    }
}
