using System.Diagnostics;

namespace Platform.Integration.Tests.Infrastructure;

/// <summary>
/// A silo in its own OS process (the Release or Debug build of src/Silo, whichever these tests were built
/// as), joined to a <see cref="PlatformCluster"/>. <see cref="Kill"/> sends SIGKILL: no shutdown, no
/// deactivation, its database connections cut by the kernel, as when a pod is OOM-killed.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;

    private SiloProcess(Process process, int siloPort)
    {
        _process = process;
        SiloPort = siloPort;
    }

    public int SiloPort { get; }

    public static async Task<SiloProcess> StartAsync(PlatformCluster cluster)
    {
        var siloPort = FreePorts.Next();
        var httpPort = FreePorts.Next();
        var dll = SiloAssembly();
        var dotnet = Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
        // Under the watchdog: a silo never outlives the test process, however that process ends.
        string[] watched = [.. OwnerWatchdog.Arguments(null, SignalStop.Kill), dotnet, dll];
        var info = new ProcessStartInfo(watched[0], watched[1..])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in cluster.SharedSettings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        // Core only: a pci silo needs Stripe keys, and the usage meter is a core grain.
        info.Environment["Silo__Roles"] = "core";
        info.Environment["Silo__SiloPort"] = siloPort.ToString();
        info.Environment["Silo__GatewayPort"] = FreePorts.Next().ToString();
        info.Environment["Silo__HttpPort"] = httpPort.ToString();
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["DOTNET_ENVIRONMENT"] = PlatformCluster.TestEnvironment;
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the silo process.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var silo = new SiloProcess(process, siloPort);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        // Generous: a cold .NET process on a loaded 2-core machine, while the rest of the suite runs.
        var deadline = DateTime.UtcNow.AddSeconds(180);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The silo process exited with {process.ExitCode}.");
            }
            try
            {
                if ((await http.GetAsync($"http://127.0.0.1:{httpPort}/health/ready")).IsSuccessStatusCode)
                {
                    return silo;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            if (DateTime.UtcNow > deadline)
            {
                await silo.DisposeAsync();
                throw new TimeoutException("The silo process did not become ready within 180 s.");
            }
            await Task.Delay(200);
        }
    }

    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Kill();
        }
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private static string SiloAssembly()
    {
        var here = AppContext.BaseDirectory;
        var configuration = here.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var root = new DirectoryInfo(here);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Platform.sln")))
        {
            root = root.Parent;
        }
        var dll = root is null ? null : Path.Combine(root.FullName, "src", "Silo", "bin", configuration, "net10.0", "Platform.Silo.dll");
        return dll is not null && File.Exists(dll)
            ? dll
            : throw new FileNotFoundException($"Build src/Silo ({configuration}) first: Platform.Silo.dll not found from {here}.");
    }
}
