using System.Diagnostics;

namespace Platform.Deploy.Tests;

/// <summary>Runs Prometheus' promtool (Debian package <c>prometheus</c>; .ci/run installs it).</summary>
public static class Promtool
{
    public static string PrometheusDir => Path.Combine(Manifests.RepoRoot, "deploy", "prometheus");

    /// <summary>promtool's exit code and its output; fails (never skips) when promtool is not installed.</summary>
    public static (int ExitCode, string Output) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("promtool")
        {
            WorkingDirectory = PrometheusDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("promtool did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                "promtool is not installed: the alerting rules cannot be tested. Install it with `apt-get install prometheus` (.ci/run does).", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("promtool ran for more than 2 minutes");
            }
            return (process.ExitCode, stdout.Result + stderr.Result);
        }
    }
}
