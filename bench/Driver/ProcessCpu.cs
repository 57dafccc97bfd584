using System.Globalization;

namespace Platform.Bench.Driver;

/// <summary>CPU time (user + system) of processes from /proc, so a benchmark can say which process was busy.</summary>
public static class ProcessCpu
{
    // USER_HZ: 100 on every Linux the benchmarks run on (getconf CLK_TCK).
    private const double TicksPerSecond = 100;

    /// <summary>The process's own CPU seconds; 0 once it is gone.</summary>
    public static double Seconds(int pid) => Fields(pid) is { } f ? (Tick(f, 11) + Tick(f, 12)) / TicksPerSecond : 0;

    /// <summary>
    /// A server and its children (PostgreSQL's postmaster and its backends): its own time, its reaped children's
    /// (cutime, cstime) and each live child's.
    /// </summary>
    public static double TreeSeconds(int pid)
    {
        if (Fields(pid) is not { } own)
        {
            return 0;
        }
        var ticks = Tick(own, 11) + Tick(own, 12) + Tick(own, 13) + Tick(own, 14);
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var child) && Fields(child) is { } f && f[1] == pid.ToString(CultureInfo.InvariantCulture))
            {
                ticks += Tick(f, 11) + Tick(f, 12);
            }
        }
        return ticks / TicksPerSecond;
    }

    /// <summary>/proc/{pid}/stat after the command name: [0] state, [1] ppid, … [11] utime, [12] stime, [13] cutime, [14] cstime.</summary>
    private static string[]? Fields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static double Tick(string[] fields, int index) => double.Parse(fields[index], CultureInfo.InvariantCulture);
}
