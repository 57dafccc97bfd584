using System.Diagnostics;
using Npgsql;

namespace Platform.Integration.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL server for one test run: initdb in a temp folder, a free port on 127.0.0.1,
/// removed afterwards. <c>PLATFORM_TEST_POSTGRES</c> (a connection string to an existing server whose
/// user may create databases) replaces it. Durability settings (fsync) are off: the server's files are
/// deleted after the run, and commit-before-reply ordering, which the tests check, does not depend on them.
/// The server runs under <see cref="OwnerWatchdog"/>: however the test process ends (disposed, crashed, killed by
/// the hang detector), the server stops and its folder goes within a second or two. The folder carries a marker
/// naming the owning process, so <c>./test.sh</c> can sweep leftovers of older runs it can prove are its own.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string? _dataDirectory;
    private readonly Process? _process;
    private readonly NpgsqlConnectionStringBuilder _server;

    private PostgresServer(NpgsqlConnectionStringBuilder server, string? dataDirectory, Process? process)
    {
        _server = server;
        _dataDirectory = dataDirectory;
        _process = process;
    }

    public static async Task<PostgresServer> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("PLATFORM_TEST_POSTGRES") is { Length: > 0 } external)
        {
            return new PostgresServer(new NpgsqlConnectionStringBuilder(external), null, null);
        }
        var bin = FindBinaries();
        var data = Path.Combine(Path.GetTempPath(), "platform-test-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(data);
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await RunAsync("chown", ["postgres", data]);
        }
        await RunAsync(Path.Combine(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale"], asRoot);
        await File.WriteAllTextAsync(Path.Combine(data, OwnerWatchdog.MarkerFile), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var port = FreePorts.Next();
        var process = Start(Path.Combine(bin, "postgres"),
            ["-D", data, "-p", port.ToString(), "-k", data, "-c", "listen_addresses=127.0.0.1",
             "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "max_connections=400", "-c", "shared_buffers=256MB"],
            asRoot, data);
        var server = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = port, Username = "postgres", Database = "postgres", Pooling = false,
        };
        var instance = new PostgresServer(server, data, process);
        await instance.WaitUntilReadyAsync();
        return instance;
    }

    /// <summary>Creates a fresh database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 60)];
        await using (var connection = new NpgsqlConnection(_server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(_server.ConnectionString) { Database = name, Pooling = true, MaxPoolSize = 60 }.ConnectionString;
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_server.ConnectionString);
                await connection.OpenAsync();
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline && _process is { HasExited: false })
            {
                await Task.Delay(100);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            // The watchdog stops the server (fast shutdown) and deletes its folder on SIGTERM; a kill is the fallback.
            try
            {
                using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                {
                    await term!.WaitForExitAsync();
                }
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                try
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync();
                }
                catch (InvalidOperationException)
                {
                }
            }
            _process.Dispose();
        }
        if (_dataDirectory is not null)
        {
            for (var attempt = 0; attempt < 20 && Directory.Exists(_dataDirectory); attempt++)
            {
                try
                {
                    Directory.Delete(_dataDirectory, recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    await Task.Delay(100);
                }
            }
        }
    }

    /// <summary>The folder of initdb, postgres, pg_dump and pg_restore.</summary>
    public static string FindBinaries()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
        {
            if (File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "postgres")))
            {
                return dir;
            }
        }
        var installed = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).Order().LastOrDefault()
            : null;
        return installed ?? throw new InvalidOperationException(
            "PostgreSQL binaries (initdb, postgres) not found: install the 'postgresql' package or set PLATFORM_TEST_POSTGRES.");
    }

    private static Process Start(string file, string[] args, bool asPostgresUser, string data)
    {
        string[] watched = [.. OwnerWatchdog.Arguments(data, SignalStop.Interrupt), file, .. args];
        var info = asPostgresUser
            ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", .. watched])
            : new ProcessStartInfo(watched[0], watched[1..]);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task RunAsync(string file, string[] args, bool asPostgresUser = false)
    {
        var info = asPostgresUser
            ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", file, .. args])
            : new ProcessStartInfo(file, args);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed ({process.ExitCode}): {await output}{await error}");
        }
    }
}
