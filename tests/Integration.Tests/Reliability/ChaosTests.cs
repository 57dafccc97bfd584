using System.Diagnostics;
using System.Text;
using Xunit.Abstractions;

namespace Platform.Integration.Tests.Reliability;

/// <summary>
/// The CI form of the chaos run (bench/chaos.sh --short, docs/RELIABILITY.md): its own PostgreSQL, Stripe fake,
/// three silos and two API hosts as processes, two core-silo kills, a pci-silo kill, a database stop and an API
/// restart under steady usage, payment and Stripe webhook traffic and period ends on test clocks (invoices made,
/// finalized and charged). The runner checks every invariant itself and exits 0 only when
/// all held; this test asserts that and prints the runner's summary.
/// </summary>
public sealed class ChaosTests(ITestOutputHelper output)
{
    // Generous: the run takes about three minutes; a cold start on a busy machine can double the start-up.
    private static readonly TimeSpan _runBudget = TimeSpan.FromMinutes(12);

    [Fact]
    public async Task ShortChaosRun_SiloKillsDatabaseStopAndApiRestart_NoAcknowledgedWriteLostOrDoubled()
    {
        var root = RepositoryRoot();
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Debug" : "Release";
        var runner = Path.Combine(root, "bench", "Chaos", "bin", configuration, "net10.0", "Platform.Bench.Chaos.dll");
        Assert.True(File.Exists(runner), $"Build Platform.sln ({configuration}) first: {runner} is missing.");

        var info = new ProcessStartInfo("bash", [Path.Combine(root, "bench", "chaos.sh"), "--short", "--no-build"])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["CHAOS_CONFIGURATION"] = configuration;
        var text = new StringBuilder();
        using var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => Append(text, e.Data);
        process.ErrorDataReceived += (_, e) => Append(text, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var budget = new CancellationTokenSource(_runBudget);
        try
        {
            await process.WaitForExitAsync(budget.Token);
        }
        catch (OperationCanceledException)
        {
            // SIGTERM to the script: its trap stops PostgreSQL; the runner's hosts die with the runner.
            Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])?.WaitForExit();
            await process.WaitForExitAsync(CancellationToken.None);
        }
        process.WaitForExit();
        lock (text)
        {
            output.WriteLine(text.ToString());
        }

        Assert.False(budget.IsCancellationRequested, $"the chaos run did not finish within {_runBudget}");
        Assert.Contains("RESULT: PASS", text.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, process.ExitCode);
    }

    private static void Append(StringBuilder text, string? line)
    {
        if (line is not null)
        {
            lock (text)
            {
                text.AppendLine(line);
            }
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Platform.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("Platform.sln not found above " + AppContext.BaseDirectory);
    }
}
