using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Npgsql;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.SystemTests.Support;

/// <summary>
/// Debian's PgBouncer (1.18, which <c>scripts/test.sh</c> installs) in transaction pooling in
/// front of the test's PostgreSQL: started by the test on a free loopback port from a config of
/// its own, in the foreground, as a user other than root (PgBouncer refuses to run as root, so as
/// <c>nobody</c> when the tests run as root). It logs in to PostgreSQL with the server's own user
/// and password (kept in an owner-only auth file) and asks clients for the same over SCRAM. Its
/// admin console (the <c>pgbouncer</c> database, which speaks only the simple query protocol) is
/// read with <c>psql</c>.
/// </summary>
public sealed class PgBouncer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly NpgsqlConnectionStringBuilder _server;

    private PgBouncer(Process process, string directory, NpgsqlConnectionStringBuilder server, int port, int poolSize)
    {
        _process = process;
        _directory = directory;
        _server = server;
        Port = port;
        PoolSize = poolSize;
    }

    public int Port { get; }

    /// <summary>The server connections PgBouncer keeps per database and user (<c>default_pool_size</c>).</summary>
    public int PoolSize { get; }

    public string Log => File.Exists(Path.Combine(_directory, "pgbouncer.log")) ? File.ReadAllText(Path.Combine(_directory, "pgbouncer.log")) : "";

    private static bool Root => Environment.UserName == "root";

    public static async Task<PgBouncer> StartAsync(string serverConnectionString, int poolSize)
    {
        var binary = new[] { "/usr/sbin/pgbouncer", "/usr/bin/pgbouncer" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("pgbouncer is not installed: scripts/test.sh installs Debian's pgbouncer (apt-get install pgbouncer).");
        var server = new NpgsqlConnectionStringBuilder(serverConnectionString);
        var port = LoopbackPort.Free();
        var directory = Directory.CreateTempSubdirectory("paseto-auth-pgbouncer-").FullName;
        await File.WriteAllTextAsync(Path.Combine(directory, "userlist.txt"), $"\"{server.Username}\" \"{server.Password}\"\n");
        if (!OperatingSystem.IsWindows())
        {
            // It holds the database password.
            File.SetUnixFileMode(Path.Combine(directory, "userlist.txt"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        await File.WriteAllTextAsync(Path.Combine(directory, "pgbouncer.ini"), string.Create(CultureInfo.InvariantCulture, $"""
            [databases]
            * = host={server.Host} port={server.Port}

            [pgbouncer]
            listen_addr = 127.0.0.1
            listen_port = {port}
            unix_socket_dir =
            auth_type = scram-sha-256
            auth_file = {directory}/userlist.txt
            admin_users = {server.Username}
            pool_mode = transaction
            default_pool_size = {poolSize}
            min_pool_size = 0
            reserve_pool_size = 0
            max_client_conn = 500
            logfile = {directory}/pgbouncer.log
            log_connections = 0
            log_disconnections = 0

            """));
        if (Root)
        {
            await RunAsync("chown", "-R", "nobody", directory);
        }

        var start = Root ? new ProcessStartInfo("runuser", ["-u", "nobody", "--", binary, "pgbouncer.ini"]) : new ProcessStartInfo(binary, ["pgbouncer.ini"]);
        start.WorkingDirectory = directory;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start pgbouncer.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var bouncer = new PgBouncer(process, directory, server, port, poolSize);
        await bouncer.WaitUntilListeningAsync();
        return bouncer;
    }

    /// <summary>
    /// A connection string to <paramref name="database"/> through PgBouncer, as an operator writes
    /// it: automatic preparation off, since PgBouncer 1.18 in transaction mode keeps no prepared
    /// statements (a statement prepared on one server connection is unknown on the next).
    /// </summary>
    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Database = database,
        Username = _server.Username,
        Password = _server.Password,
        MaxAutoPrepare = 0,
    }.ConnectionString;

    /// <summary>A <c>SHOW</c> command of the admin console (<c>SHOW POOLS</c>, <c>SHOW SERVERS</c>…), one dictionary a row.</summary>
    public async Task<IReadOnlyList<Dictionary<string, string>>> ShowAsync(string what)
    {
        var start = new ProcessStartInfo("psql", ["-X", "-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", _server.Username!, "-d", "pgbouncer", "--csv", "-c", "SHOW " + what])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PGPASSWORD"] = _server.Password;
        using var psql = Process.Start(start) ?? throw new InvalidOperationException("Could not start psql.");
        var output = psql.StandardOutput.ReadToEndAsync();
        var error = psql.StandardError.ReadToEndAsync();
        await psql.WaitForExitAsync();
        Assert.That(psql.ExitCode, Is.Zero, $"psql SHOW {what}: {await error}");
        var lines = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        return [.. lines.Skip(1).Select(line => header.Zip(line.Split(',')).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal))];
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static async Task RunAsync(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments)) ?? throw new InvalidOperationException($"Could not start {file}.");
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}.");
        }
    }

    private async Task WaitUntilListeningAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"pgbouncer exited with {_process.ExitCode}:\n{Log}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"pgbouncer did not listen on 127.0.0.1:{Port}:\n{Log}");
    }
}
