using System.Diagnostics;

namespace Platform.Bench.Chaos;

/// <summary>The run's PostgreSQL (started by bench/chaos.sh through scripts/pg.sh): stopped hard and started again.</summary>
public sealed class PostgresControl(string root, string dataDirectory, int port, string passwordFile)
{
    public string ConnectionString { get; } =
        $"Host=127.0.0.1;Port={port};Database=platform;Username=postgres;Password={File.ReadAllText(passwordFile).Trim()};Maximum Pool Size=100";

    /// <summary>pg_ctl stop -m immediate: the server dies without a checkpoint, clients' connections cut, as a crash.</summary>
    public Task StopAsync() => RunAsync($"pg_as_owner \"$(pg_bin_dir)/pg_ctl\" -D '{dataDirectory}' -m immediate -w stop");

    public Task StartAsync() => RunAsync($"pg_start '{dataDirectory}' {port} '{passwordFile}'");

    private async Task RunAsync(string command)
    {
        var info = new ProcessStartInfo("bash") { WorkingDirectory = root, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"source scripts/pg.sh && {command}");
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not run bash");
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{command}' failed with {process.ExitCode}");
        }
    }
}
