using System.Net;
using System.Net.Sockets;

namespace Platform.Bench.Chaos;

/// <summary>
/// Ports for the stack's hosts, chosen once and bound by the hosts later (and again after each restart).
/// </summary>
/// <remarks>
/// Not from the kernel's ephemeral range: a port found free there (bind to 0, then release) can be handed to anyone
/// else who binds to 0 or connects out before our host binds it, and a host that cannot bind dies at start
/// (an unhandled AddressInUseException: exit 134). That is what "silo-core-1 exited with 134" was when the chaos
/// test ran beside the other integration tests, which pick their ports that way. Below the ephemeral range only
/// explicit binds compete, so a random free port there stays free.
/// </remarks>
public static class FreePort
{
    private const int Lowest = 20000;
    private static readonly HashSet<int> _given = [];

    public static int Next()
    {
        var ephemeralStart = EphemeralRangeStart();
        lock (_given)
        {
            for (var attempt = 0; attempt < 1000; attempt++)
            {
                var port = Random.Shared.Next(Lowest, ephemeralStart);
                if (!_given.Contains(port) && IsFree(port))
                {
                    _given.Add(port);
                    return port;
                }
            }
        }
        throw new InvalidOperationException($"no free port between {Lowest} and {ephemeralStart}");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The first port of /proc/sys/net/ipv4/ip_local_port_range (32768 when it cannot be read).</summary>
    private static int EphemeralRangeStart()
    {
        try
        {
            var first = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0];
            return Math.Max(Lowest + 1000, int.Parse(first, System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            return 32768;
        }
    }
}
