using Platform.Grains.Interfaces.Common;

namespace Platform.Grains.Interfaces.Usage;

/// <summary>
/// One customer's usage, keyed <c>ten_…/cus_…</c> (see PlatformIds.CustomerKey): the only writer of that
/// customer's rows in the usage log, and the holder of the current period's aggregates.
/// </summary>
[Alias("platform.usage_meter")]
public interface IUsageMeterGrain : IGrainWithStringKey
{
    /// <summary>Logs the events (each event id once per tenant) and counts the new ones. Every
    /// <see cref="UsageEventStatus.Accepted"/> is committed to PostgreSQL before this returns.</summary>
    [Alias("report_usage")]
    Task<UsageReceipt> ReportUsageAsync(IReadOnlyList<UsageEvent> events);

    /// <summary>Null when the customer does not exist in this tenant. Refuses a range it will not scan
    /// with a <see cref="PlatformException"/> of kind InvalidRequest.</summary>
    [Alias("get_usage")]
    Task<UsageSummary?> GetUsageAsync(UsageQuery query);

    /// <summary>The customer was erased: refuse further usage (<see cref="UsageReceipt.Erased"/>) and drop
    /// in-memory aggregates, whose property values are reloaded pseudonymized.</summary>
    [Alias("customer_erased")]
    Task CustomerErasedAsync();
}
