using System.Diagnostics;
using Npgsql;

namespace Platform.Integration.Tests.Infrastructure;

/// <summary>pg_dump and pg_restore of the test server's binaries, as an operator runs them (custom format, no owner).</summary>
public static class PgTools
{
    public static Task DumpAsync(string connectionString, string file) =>
        RunAsync("pg_dump", ["--format=custom", "--no-owner", "--file", file, "--dbname", Libpq(connectionString)]);

    public static Task RestoreAsync(string file, string connectionString) =>
        RunAsync("pg_restore", ["--no-owner", "--exit-on-error", "--dbname", Libpq(connectionString), file]);

    /// <summary>An Npgsql connection string as a libpq one (what the PostgreSQL tools take).</summary>
    public static string Libpq(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        var parts = new List<string> { $"host={b.Host}", $"port={b.Port}", $"dbname={b.Database}", $"user={b.Username}" };
        if (!string.IsNullOrEmpty(b.Password))
        {
            parts.Add($"password={b.Password}");
        }
        return string.Join(' ', parts);
    }

    /// <summary>The server's own bin folder: PATH may hold only links to initdb and postgres (pg_dump then sits beside their targets).</summary>
    private static string BinDirectory()
    {
        var initdb = new FileInfo(Path.Combine(PostgresServer.FindBinaries(), "initdb"));
        return Path.GetDirectoryName(initdb.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? initdb.FullName)!;
    }

    private static async Task RunAsync(string tool, string[] arguments)
    {
        var info = new ProcessStartInfo(Path.Combine(BinDirectory(), tool), arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {tool}");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} exited with {process.ExitCode}: {await stderr}{await stdout}");
        }
    }
}
