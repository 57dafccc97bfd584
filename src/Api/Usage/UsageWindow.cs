using Platform.Grains.Interfaces.Subscriptions;
using Platform.Grains.Interfaces.Usage;

namespace Platform.Api.Usage;

/// <summary>
/// The window "this period" means wherever usage is shown (GET /v1/customers/{id}/usage, the portal's usage page and
/// its live feed): the customer's subscription's own current period, what its next invoice bills, as
/// upcoming_invoice shows it; without a live subscription period, the meter's current period.
/// </summary>
public static class UsageWindow
{
    /// <summary>The subscription's current period, or null (the meter's own period) when it has none.</summary>
    public static async Task<(DateTimeOffset From, DateTimeOffset To)?> CurrentAsync(IGrainFactory grains, string customerKey)
    {
        var subscription = await grains.GetGrain<ISubscriptionGrain>(customerKey).GetAsync();
        return subscription is { CurrentPeriodStart: { } start, CurrentPeriodEnd: { } end, EndedAt: null } && end > start
            ? (start, end)
            : null;
    }

    /// <summary>The query for the current window: both bounds null leaves it to the meter.</summary>
    public static UsageQuery Query((DateTimeOffset From, DateTimeOffset To)? window, string? metric = null) =>
        new(metric, window?.From, window?.To);

    /// <summary>Whether <paramref name="usage"/> (e.g. a live push, always the meter's own period) covers exactly the window.</summary>
    public static bool Covers(UsageSummary usage, (DateTimeOffset From, DateTimeOffset To)? window) =>
        window is not { } w || (usage.From == w.From && usage.To == w.To);
}
