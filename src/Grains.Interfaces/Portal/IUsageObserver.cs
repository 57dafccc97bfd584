using Orleans.Concurrency;
using Platform.Grains.Interfaces.Usage;

namespace Platform.Grains.Interfaces.Portal;

/// <summary>An API host's portal hub, told of a customer's usage after each accepted report.</summary>
[Alias("platform.usage_observer")]
public interface IUsageObserver : IGrainObserver
{
    /// <summary><paramref name="customerKey"/> is <c>ten_…/cus_…</c>; the summary covers the current period.</summary>
    [OneWay, Alias("usage_changed")]
    Task UsageChangedAsync(string customerKey, UsageSummary usage);
}
