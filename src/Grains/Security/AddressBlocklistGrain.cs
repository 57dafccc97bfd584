using Microsoft.Extensions.Logging;
using Platform.Grains.Common;
using Platform.Grains.Interfaces.Audit;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Security;

namespace Platform.Grains.Security;

/// <summary>
/// Holds the blocklist and pushes it to the API hosts, as <c>CredentialRevocationGrain</c> pushes revocations:
/// hosts subscribe a grain observer and renew every few seconds, and each renewal answers the whole list, so a
/// host that missed a push (or the feed's reactivation on another silo) is current again within one renewal.
/// The list is small (ranges, not addresses seen), so it always travels whole.
/// </summary>
public sealed class AddressBlocklistGrain(
    [PersistentState(AddressBlocklistGrain.StateName, PlatformStorage.Name)] IPersistentState<AddressBlocklistState> blocklist,
    TimeProvider clock,
    ILogger<AddressBlocklistGrain> logger) : Grain, IAddressBlocklistGrain
{
    public const string StateName = "address_blocklist";

    /// <summary>The most ranges the list holds: a botnet is blocked at the firewall, not range by range here.</summary>
    public const int MaxRanges = 10_000;

    private readonly Dictionary<IAddressBlocklistObserver, DateTimeOffset> _subscribers = [];

    private AddressBlocklist Current => new(blocklist.State.Version, blocklist.State.Ranges.ToArray());

    public Task<AddressBlocklist> SubscribeAsync(IAddressBlocklistObserver observer)
    {
        _subscribers[observer] = clock.GetUtcNow();
        return Task.FromResult(Current);
    }

    public Task UnsubscribeAsync(IAddressBlocklistObserver observer)
    {
        _subscribers.Remove(observer);
        return Task.CompletedTask;
    }

    public Task<AddressBlocklist> GetAsync() => Task.FromResult(Current);

    public async Task<BlockedAddressRange> BlockAsync(string range, string? reason)
    {
        var normalized = AddressRanges.Normalize(range)
            ?? throw new PlatformException(PlatformErrorKind.InvalidRequest, "parameter_invalid",
                "address must be an IP address or a CIDR range whose host bits are zero (203.0.113.0/24).", "address");
        var existing = blocklist.State.Ranges.Find(r => r.Range == normalized);
        if (existing is null)
        {
            if (blocklist.State.Ranges.Count >= MaxRanges)
            {
                throw new PlatformException(PlatformErrorKind.InvalidRequest, "parameter_invalid",
                    $"The blocklist holds at most {MaxRanges} ranges: merge ranges, or block at the firewall.", "address");
            }
            existing = new BlockedAddressRange(normalized, reason, clock.GetUtcNow(), AuditContext.Actor);
            blocklist.State.Ranges.Add(existing);
            blocklist.State.Version++;
            await blocklist.WriteStateAsync();
            await AuditAsync(AuditActions.AddressBlocked, normalized, reason);
        }
        // Also when already blocked: a retry after a failed push pushes again.
        await PushAsync();
        return existing;
    }

    public async Task<BlockedAddressRange?> UnblockAsync(string range)
    {
        var normalized = AddressRanges.Normalize(range)
            ?? throw new PlatformException(PlatformErrorKind.InvalidRequest, "parameter_invalid",
                "address must be an IP address or a CIDR range whose host bits are zero (203.0.113.0/24).", "address");
        var existing = blocklist.State.Ranges.Find(r => r.Range == normalized);
        if (existing is null)
        {
            return null;
        }
        blocklist.State.Ranges.Remove(existing);
        blocklist.State.Version++;
        await blocklist.WriteStateAsync();
        await AuditAsync(AuditActions.AddressUnblocked, normalized, null);
        await PushAsync();
        return existing;
    }

    private async Task PushAsync()
    {
        var list = Current;
        var now = clock.GetUtcNow();
        foreach (var expired in _subscribers.Where(s => now - s.Value > Credentials.CredentialRevocationGrain.SubscriptionLifetime).Select(s => s.Key).ToList())
        {
            _subscribers.Remove(expired);
        }
        var deliveries = _subscribers.Keys.ToList().Select(async observer =>
        {
            try
            {
                await observer.ChangedAsync(list).WaitAsync(Credentials.CredentialRevocationGrain.DeliveryTimeout, clock);
                return null;
            }
            catch (Exception)
            {
                return observer;
            }
        }).ToList();
        // A host that missed the push gets the list with its next renewal (every few seconds).
        foreach (var failed in (await Task.WhenAll(deliveries)).OfType<IAddressBlocklistObserver>())
        {
            _subscribers.Remove(failed);
            logger.LogWarning("An API host did not acknowledge blocklist version {Version}; it receives it when it renews", list.Version);
        }
    }

    private Task AuditAsync(string action, string range, string? reason) =>
        GrainFactory.GetGrain<IAuditLogGrain>(IAuditLogGrain.PlatformChain).AppendAsync(new AuditDraft(action, range,
            reason is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["reason"] = reason }));
}
