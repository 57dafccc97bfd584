using System.Net;
using Platform.Grains.Interfaces.Security;

namespace Platform.Api.Security;

/// <summary>This host's copy of the cluster's address blocklist (<see cref="IAddressBlocklistGrain"/>), replaced whole
/// by <see cref="AddressBlocklistListener"/>; read on every request without a lock.</summary>
public sealed class BlockedAddresses
{
    private readonly Lock _gate = new();
    private volatile Snapshot _current = new(-1, []);

    public long Version => _current.Version;

    public bool IsBlocked(IPAddress? address)
    {
        var networks = _current.Networks;
        if (address is null || networks.Length == 0)
        {
            return false;
        }
        address = AddressRanges.Canonical(address);
        foreach (var network in networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Takes the list unless this host already holds a newer one (a push and a renewal may cross).</summary>
    public void Replace(AddressBlocklist blocklist)
    {
        lock (_gate)
        {
            if (blocklist.Version < _current.Version)
            {
                return;
            }
            _current = new Snapshot(blocklist.Version, blocklist.Ranges.Select(r => IPNetwork.Parse(r.Range)).ToArray());
        }
    }

    private sealed record Snapshot(long Version, IPNetwork[] Networks);
}
