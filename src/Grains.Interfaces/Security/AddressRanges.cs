using System.Net;
using System.Net.Sockets;

namespace Platform.Grains.Interfaces.Security;

/// <summary>Parsing and matching of blocked ranges, one rule for the grain that stores them and the hosts that apply them.</summary>
public static class AddressRanges
{
    /// <summary>The canonical CIDR form (<c>203.0.113.0/24</c>; an address alone is <c>/32</c> or <c>/128</c>), or null
    /// when <paramref name="value"/> is not an address or a range whose host bits are zero.</summary>
    public static string? Normalize(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        value = value.Trim();
        if (!value.Contains('/', StringComparison.Ordinal))
        {
            return IPAddress.TryParse(value, out var address)
                ? new IPNetwork(Canonical(address), Canonical(address).AddressFamily == AddressFamily.InterNetwork ? 32 : 128).ToString()
                : null;
        }
        // IPNetwork accepts host bits and clears them; an operator who typed 10.0.0.1/8 did not mean all of 10/8.
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        return IPAddress.TryParse(value[..slash], out var given) && IPNetwork.TryParse(value, out var network)
            && network.BaseAddress.Equals(given) ? network.ToString() : null;
    }

    /// <summary>An IPv4 address mapped into IPv6 (a dual-stack socket's view) as the IPv4 address it is.</summary>
    public static IPAddress Canonical(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
