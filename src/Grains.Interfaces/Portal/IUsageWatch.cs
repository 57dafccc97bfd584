using Platform.Grains.Interfaces.Usage;

namespace Platform.Grains.Interfaces.Portal;

/// <summary>
/// The live side of a customer's usage meter (same key as <see cref="IUsageMeterGrain"/>, same activation):
/// an API host with a portal page open subscribes its observer and is told of every accepted report.
/// Subscriptions live in memory and lapse after <see cref="PortalSessionRules.WatchLease"/>: the host renews while it has watchers.
/// </summary>
[Alias("platform.usage_watch")]
public interface IUsageWatch : IGrainWithStringKey
{
    /// <summary>Subscribes (or renews) the observer; answers the current period's usage, null for an unknown customer.</summary>
    [Alias("watch")]
    Task<UsageSummary?> WatchAsync(IUsageObserver observer);

    [Alias("unwatch")]
    Task UnwatchAsync(IUsageObserver observer);
}
