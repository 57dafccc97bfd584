using System.Diagnostics;

namespace Platform.Bench.Chaos;

/// <summary>
/// One host of the stack (Stripe fake, silo, API) as an OS process, its output appended to a log file.
/// <see cref="Kill"/> is SIGKILL (no shutdown, as an OOM kill); <see cref="StopAsync"/> is SIGTERM (a rolling restart).
/// Restarting reuses the same ports and settings, as a pod that comes back.
/// </summary>
public sealed class ManagedProcess(string name, string workingDirectory, string program, IReadOnlyList<string> arguments,
    IReadOnlyDictionary<string, string> environment, string logFile, Uri readyUrl, bool anyAnswerIsReady = false)
{
    private Process? _process;

    public string Name { get; } = name;

    public bool IsRunning => _process is { HasExited: false };

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("bash")
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
        };
        // exec: the shell becomes the host, so the pid we signal is the host's own.
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("exec \"$0\" \"$@\" >>\"$CHAOS_LOG\" 2>&1");
        info.ArgumentList.Add(program);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        info.Environment["CHAOS_LOG"] = logFile;
        _process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {Name}");
        await WaitReadyAsync(cancellationToken);
    }

    private async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        var deadline = DateTime.UtcNow.AddSeconds(180);
        while (true)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode}; see {logFile}");
            }
            try
            {
                using var response = await http.GetAsync(readyUrl, cancellationToken);
                if (anyAnswerIsReady || response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Name} was not ready within 180 s; see {logFile}");
            }
            await Task.Delay(200, cancellationToken);
        }
    }

    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    public async Task StopAsync()
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }
}
