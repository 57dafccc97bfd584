namespace Platform.Grains.Interfaces.Security;

/// <summary>
/// The cluster-wide list of client address ranges every API host refuses before authentication, keyed
/// <see cref="Key"/>. Stored, so it survives restarts; pushed whole to every subscribed host (as credential
/// revocations are) before a change answers, and handed over again on each host's renewal.
/// </summary>
[Alias("platform.address_blocklist")]
public interface IAddressBlocklistGrain : IGrainWithStringKey
{
    public const string Key = "all";

    /// <summary>Subscribes (or renews) an API host; answers the current list.</summary>
    [Alias("subscribe")]
    Task<AddressBlocklist> SubscribeAsync(IAddressBlocklistObserver observer);

    [Alias("unsubscribe")]
    Task UnsubscribeAsync(IAddressBlocklistObserver observer);

    [Alias("get")]
    Task<AddressBlocklist> GetAsync();

    /// <summary>Blocks a range (an address or CIDR; refused with <c>parameter_invalid</c> otherwise), audited on
    /// the platform chain, and answers once every reachable host has the new list.</summary>
    [Alias("block")]
    Task<BlockedAddressRange> BlockAsync(string range, string? reason);

    /// <summary>Removes a range; null when it was not blocked. Audited and pushed as <see cref="BlockAsync"/>.</summary>
    [Alias("unblock")]
    Task<BlockedAddressRange?> UnblockAsync(string range);
}
