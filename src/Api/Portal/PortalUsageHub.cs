using System.Threading.Channels;
using Platform.Grains.Interfaces.Portal;
using Platform.Grains.Interfaces.Usage;

namespace Platform.Api.Portal;

/// <summary>
/// This host's end of the live usage feed. One observer reference for the host; per customer being watched,
/// the meter grain (<see cref="IUsageWatch"/>) holds that reference and pushes each accepted report, and the
/// hub fans it out to the customer's open event streams. The hub renews its leases while streams are open
/// (observers are not durable); a renewal's answer is forwarded only when it differs from the last push.
/// </summary>
public sealed partial class PortalUsageHub(IClusterClient cluster, ILogger<PortalUsageHub> logger) : BackgroundService, IUsageObserver
{
    private static readonly TimeSpan Renew = PortalSessionRules.WatchLease / 3;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<Channel<UsageSummary>>> _streams = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UsageSummary> _last = new(StringComparer.Ordinal);
    private IUsageObserver? _reference;

    private IUsageObserver Reference
    {
        get
        {
            lock (_gate)
            {
                return _reference ??= cluster.CreateObjectReference<IUsageObserver>(this);
            }
        }
    }

    public async Task<UsageSubscription> WatchAsync(string customerKey)
    {
        var channel = Channel.CreateBounded<UsageSummary>(new BoundedChannelOptions(16) { FullMode = BoundedChannelFullMode.DropOldest });
        lock (_gate)
        {
            if (!_streams.TryGetValue(customerKey, out var list))
            {
                _streams[customerKey] = list = [];
            }
            list.Add(channel);
        }
        var subscription = new UsageSubscription(channel.Reader, () => Release(customerKey, channel));
        try
        {
            if (await cluster.GetGrain<IUsageWatch>(customerKey).WatchAsync(Reference) is { } usage)
            {
                channel.Writer.TryWrite(usage);
            }
        }
        catch
        {
            subscription.Dispose();
            throw;
        }
        return subscription;
    }

    public Task UsageChangedAsync(string customerKey, UsageSummary usage)
    {
        Publish(customerKey, usage, onlyIfChanged: false);
        return Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Renew);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            string[] keys;
            lock (_gate)
            {
                keys = [.. _streams.Keys];
            }
            foreach (var key in keys)
            {
                try
                {
                    if (await cluster.GetGrain<IUsageWatch>(key).WatchAsync(Reference).WaitAsync(Renew, stoppingToken) is { } usage)
                    {
                        // A new meter activation lost this host's lease and any push in between: catch up.
                        Publish(key, usage, onlyIfChanged: true);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogRenewFailed(logger, e);
                }
            }
        }
    }

    private void Publish(string customerKey, UsageSummary usage, bool onlyIfChanged)
    {
        lock (_gate)
        {
            if (!_streams.TryGetValue(customerKey, out var list))
            {
                return;
            }
            if (onlyIfChanged && _last.TryGetValue(customerKey, out var last) && Same(last, usage))
            {
                return;
            }
            _last[customerKey] = usage;
            foreach (var channel in list)
            {
                channel.Writer.TryWrite(usage);
            }
        }
    }

    private void Release(string customerKey, Channel<UsageSummary> channel)
    {
        var last = false;
        lock (_gate)
        {
            channel.Writer.TryComplete();
            if (_streams.TryGetValue(customerKey, out var list) && list.Remove(channel) && list.Count == 0)
            {
                _streams.Remove(customerKey);
                _last.Remove(customerKey);
                last = true;
            }
        }
        if (last && _reference is { } reference)
        {
            // One-way enough: a lost unwatch only leaves a lease that lapses.
            _ = cluster.GetGrain<IUsageWatch>(customerKey).UnwatchAsync(reference);
        }
    }

    private static bool Same(UsageSummary a, UsageSummary b) =>
        a.From == b.From && a.Metrics.Count == b.Metrics.Count
        && a.Metrics.Zip(b.Metrics).All(p => p.First.Metric == p.Second.Metric && p.First.Sum == p.Second.Sum && p.First.Count == p.Second.Count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew a portal usage watch; its page catches up on the next renewal")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception);
}
