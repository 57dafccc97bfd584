using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Customers;
using Platform.Grains.Interfaces.Portal;
using Platform.Grains.Interfaces.Usage;

namespace Platform.Grains.Usage;

/// <summary>
/// One customer's meter. Invariant: for every period starting at or after <see cref="_loadedFrom"/>, the
/// aggregates in memory equal the same aggregates over the usage log. It holds because this activation
/// loads them from the log before serving anything, is the only writer of this customer's rows, and
/// applies exactly the rows the database reported as new. Nothing is ever reloaded, so the grain can be
/// reentrant: concurrent reports interleave at their awaits and share the silo's group commit.
/// </summary>
[Reentrant]
public sealed partial class UsageMeterGrain(
    UsageLog log,
    UsageLogWriter writer,
    IOptions<UsageOptions> options,
    Telemetry.BillingMetrics metrics,
    TimeProvider clock) : Grain, IUsageMeterGrain, IUsageWatch
{
    private readonly Dictionary<DateTimeOffset, Dictionary<string, MetricAggregate>> _periods = [];
    private Task<bool>? _ready;
    private DateTimeOffset _loadedFrom;
    private DateTimeOffset _lastWake = DateTimeOffset.MinValue;

    // Set at load from the customer's status: an erased customer's usage stays readable but no more is taken.
    private bool _erased;

    private (string TenantId, string CustomerId) Key => PlatformIds.ParseCustomerKey(this.GetPrimaryKeyString());

    public async Task<UsageReceipt> ReportUsageAsync(IReadOnlyList<UsageEvent> events)
    {
        if (!await EnsureReadyAsync())
        {
            return UsageReceipt.NoCustomer;
        }
        if (_erased)
        {
            return UsageReceipt.Erased;
        }
        var (tenantId, customerId) = Key;
        var now = clock.GetUtcNow();
        var statuses = new UsageEventStatus[events.Count];
        var rows = new List<UsageLogRow>(events.Count);
        var rowIndex = new List<int>(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            var timestamp = events[i].Timestamp ?? now;
            if (timestamp < now - UsageRules.MaxAge)
            {
                statuses[i] = UsageEventStatus.TimestampTooFarInPast;
            }
            else if (timestamp > now + UsageRules.MaxClockSkew)
            {
                statuses[i] = UsageEventStatus.TimestampInFuture;
            }
            else
            {
                rows.Add(new UsageLogRow(tenantId, customerId, events[i], timestamp));
                rowIndex.Add(i);
            }
        }
        long?[] sequences;
        try
        {
            sequences = await writer.WriteAsync(rows);
        }
        catch (Exception exception) when (exception is not PlatformException)
        {
            // Nothing of this call was counted; a retry of the same events is safe (logged ones come back duplicate).
            // The insert may still have committed (the database went away before its answer arrived): those rows
            // would then come back duplicate and never be counted here. This activation goes; the next one
            // rebuilds its aggregates from the log (found by bench/chaos.sh: memory one event short of SQL).
            DeactivateOnIdle();
            throw new PlatformException(PlatformErrorKind.Unavailable, "service_unavailable",
                "The usage log could not be written; retry the same events.");
        }
        RollPeriod();
        var accepted = false;
        for (var r = 0; r < rows.Count; r++)
        {
            if (sequences[r] == UsageLog.PeriodClosed)
            {
                statuses[rowIndex[r]] = UsageEventStatus.PeriodClosed;
            }
            else if (sequences[r] is { } sequence)
            {
                statuses[rowIndex[r]] = UsageEventStatus.Accepted;
                Apply(rows[r], sequence);
                accepted = true;
            }
            else
            {
                statuses[rowIndex[r]] = UsageEventStatus.Duplicate;
            }
        }
        if (accepted)
        {
            WakeForwarder(tenantId);
            NotifyWatchers();
        }
        var acceptedCount = statuses.Count(s => s == UsageEventStatus.Accepted);
        var duplicateCount = statuses.Count(s => s == UsageEventStatus.Duplicate);
        metrics.UsageEventsRecorded(acceptedCount, duplicateCount, statuses.Length - acceptedCount - duplicateCount);
        return new UsageReceipt(true, statuses);
    }

    public async Task<UsageSummary?> GetUsageAsync(UsageQuery query)
    {
        if (!await EnsureReadyAsync())
        {
            return null;
        }
        var (tenantId, customerId) = Key;
        RollPeriod();
        var current = UsagePeriod.Containing(clock.GetUtcNow());
        var from = query.From ?? current.Start;
        var to = query.To ?? current.End;
        if (from >= to || to - from > options.Value.MaxQueryRange)
        {
            throw new PlatformException(PlatformErrorKind.InvalidRequest, "parameter_invalid",
                $"from must be before to, and the range at most {options.Value.MaxQueryRange.TotalDays:0} days.", "from");
        }
        if (from != current.Start || to != current.End)
        {
            return new UsageSummary(from, to, Live: false, await log.SummariseAsync(tenantId, customerId, query.Metric, from, to));
        }
        var metrics = new List<MetricUsage>();
        if (_periods.TryGetValue(current.Start, out var aggregates))
        {
            foreach (var (metric, aggregate) in aggregates.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                if (query.Metric is not null && query.Metric != metric)
                {
                    continue;
                }
                var overflowed = new Dictionary<string, long>(StringComparer.Ordinal);
                foreach (var key in aggregate.OverflowedKeys)
                {
                    overflowed[key] = await log.CountDistinctAsync(tenantId, customerId, metric, key, from, to);
                }
                metrics.Add(aggregate.ToUsage(metric, overflowed));
            }
        }
        return new UsageSummary(from, to, Live: true, metrics);
    }

    public Task CustomerErasedAsync()
    {
        // Refuse from now on, and let the aggregates (which hold property values as reported) go: the next
        // activation loads them from the log, where the erasure pseudonymized them.
        _erased = true;
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    // Reentrant calls share one load; a failed load is retried by the next call.
    private async Task<bool> EnsureReadyAsync()
    {
        var ready = _ready ??= LoadAsync();
        try
        {
            var found = await ready;
            if (!found)
            {
                // Not cached: the customer may be created a moment later. This activation goes away.
                _ready = null;
                DeactivateOnIdle();
            }
            return found;
        }
        catch
        {
            if (ReferenceEquals(_ready, ready))
            {
                _ready = null;
            }
            throw;
        }
    }

    private async Task<bool> LoadAsync()
    {
        var key = this.GetPrimaryKeyString();
        // The key carries the tenant: another tenant's customer id names a customer that does not exist here.
        if (await GrainFactory.GetGrain<ICustomerGrain>(key).GetAsync() is not { } customer)
        {
            return false;
        }
        _erased = customer.Status == CustomerStatus.Erased;
        var (tenantId, customerId) = Key;
        var now = clock.GetUtcNow();
        var current = UsagePeriod.Containing(now);
        var maxDistinct = options.Value.MaxDistinctValuesInMemory;
        _periods.Clear();
        _periods[current.Start] = await log.LoadAsync(tenantId, customerId, current.Start, current.End, maxDistinct);
        // Events may be dated a little ahead of now: near the end of a period the next one can already have rows.
        if (now + UsageRules.MaxClockSkew >= current.End)
        {
            var next = UsagePeriod.Containing(current.End);
            _periods[next.Start] = await log.LoadAsync(tenantId, customerId, next.Start, next.End, maxDistinct);
        }
        _loadedFrom = current.Start;
        return true;
    }

    private void Apply(UsageLogRow row, long sequence)
    {
        // Rows dated before what memory holds (a late event for a closed period) live in the log only.
        if (row.Timestamp < _loadedFrom)
        {
            return;
        }
        var period = UsagePeriod.Containing(row.Timestamp).Start;
        if (!_periods.TryGetValue(period, out var aggregates))
        {
            aggregates = new Dictionary<string, MetricAggregate>(StringComparer.Ordinal);
            _periods[period] = aggregates;
        }
        if (!aggregates.TryGetValue(row.Event.Metric, out var aggregate))
        {
            aggregate = new MetricAggregate(options.Value.MaxDistinctValuesInMemory);
            aggregates[row.Event.Metric] = aggregate;
        }
        aggregate.Add(row.Event.Quantity, row.Timestamp, sequence, row.Event.Properties);
    }

    // When the clock enters a new period, earlier periods leave memory (they are answered from the log).
    private void RollPeriod()
    {
        var current = UsagePeriod.Containing(clock.GetUtcNow()).Start;
        if (current <= _loadedFrom)
        {
            return;
        }
        foreach (var stale in _periods.Keys.Where(start => start < current).ToArray())
        {
            _periods.Remove(stale);
        }
        _loadedFrom = current;
    }

    private void WakeForwarder(string tenantId)
    {
        var now = clock.GetUtcNow();
        if (!options.Value.ForwardingEnabled || now - _lastWake < options.Value.ForwardingInterval)
        {
            return;
        }
        _lastWake = now;
        // One-way: returns at once, and ingestion never waits on forwarding.
        _ = GrainFactory.GetGrain<IUsageForwardingGrain>(tenantId).WakeAsync();
    }
}
