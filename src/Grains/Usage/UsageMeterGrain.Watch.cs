using Platform.Grains.Interfaces.Portal;
using Platform.Grains.Interfaces.Usage;

namespace Platform.Grains.Usage;

/// <summary>
/// The meter's live feed (<see cref="IUsageWatch"/>): API hosts showing a portal page subscribe their
/// observer, and each report that counted something pushes the period's usage to them. Nothing is sent and
/// nothing is computed while no host watches, so ingestion pays for it only when a page is open.
/// </summary>
public sealed partial class UsageMeterGrain
{
    private readonly Dictionary<IUsageObserver, DateTimeOffset> _watchers = [];

    public async Task<UsageSummary?> WatchAsync(IUsageObserver observer)
    {
        var usage = await GetUsageAsync(new UsageQuery(null, null, null));
        if (usage is not null)
        {
            _watchers[observer] = clock.GetUtcNow() + PortalSessionRules.WatchLease;
        }
        return usage;
    }

    public Task UnwatchAsync(IUsageObserver observer)
    {
        _watchers.Remove(observer);
        return Task.CompletedTask;
    }

    private void NotifyWatchers()
    {
        var now = clock.GetUtcNow();
        foreach (var lapsed in _watchers.Where(w => w.Value <= now).Select(w => w.Key).ToArray())
        {
            _watchers.Remove(lapsed);
        }
        if (_watchers.Count > 0)
        {
            // Not awaited: the report's answer never waits on the watchers.
            _ = NotifyWatchersAsync();
        }
    }

    private async Task NotifyWatchersAsync()
    {
        try
        {
            if (await GetUsageAsync(new UsageQuery(null, null, null)) is not { } usage)
            {
                return;
            }
            var key = this.GetPrimaryKeyString();
            foreach (var watcher in _watchers.Keys)
            {
                // One-way: a host that went away costs nothing here; its lease lapses.
                _ = watcher.UsageChangedAsync(key, usage);
            }
        }
        catch (Exception)
        {
            // The next report, or the host's renewal (which answers the usage), brings the watchers up to date.
        }
    }
}
