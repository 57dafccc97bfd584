using Platform.Grains.Billing;
using Platform.Grains.Interfaces.Billing;
using Platform.Grains.Interfaces.Plans;
using Platform.Grains.Interfaces.Usage;

namespace Platform.Grains.Subscriptions;

/// <summary>
/// The invoice a subscription on a tenant's plan would get for its current period so far: the plan's flat
/// amount and one line per usage charge, priced by <see cref="PriceCalculator"/> on the usage of the
/// subscription's own period. Pure: the grain reads the plan and the usage and passes them in.
/// </summary>
/// <example>
/// Plan "pro" 2,000 usd a month with api_calls per unit at 2, usage 150 api_calls: lines "pro (flat)" 2000 and
/// "api_calls usage" 150 × 2 = 300, total 2300. Trialing: the same lines priced at 0, total 0.
/// </example>
public sealed class InvoicePreviewPricing
{
    /// <summary>
    /// The usage to price: of the subscription's own current period (not the meter's calendar month);
    /// without a period, the meter's.
    /// </summary>
    public static UsageQuery UsageQuery(SubscriptionState state) =>
        SubscriptionProjection.Time(state.CurrentPeriodStart) is { } start && SubscriptionProjection.Time(state.CurrentPeriodEnd) is { } end && end > start
            ? new UsageQuery(null, start, end)
            : new UsageQuery(null, null, null);

    public static InvoicePreview Price(string customerId, SubscriptionState state, PlanSnapshot plan, UsageSummary? usage)
    {
        var definition = plan.Definition;
        // A trial costs nothing; its usage is still shown, priced at zero.
        var trialing = state.Status == SubscriptionStatuses.Trialing;
        var lines = new List<InvoiceLine>
        {
            new($"{definition.Name ?? definition.Code} ({(trialing ? "trial" : "flat")})", null, 1, trialing ? 0 : definition.Amount),
        };
        foreach (var charge in definition.UsageCharges)
        {
            var quantity = usage?.Metrics.FirstOrDefault(m => m.Metric == charge.Metric)?.Sum ?? 0;
            lines.Add(new InvoiceLine($"{charge.Metric} usage", charge.Metric, quantity,
                trialing ? 0 : PriceCalculator.Amount(charge, Math.Max(quantity, 0))));
        }
        return new InvoicePreview(customerId, state.StripeSubscriptionId!, plan.Id, definition.Currency,
            usage?.From ?? SubscriptionProjection.Time(state.CurrentPeriodStart)!.Value, usage?.To ?? SubscriptionProjection.Time(state.CurrentPeriodEnd)!.Value,
            lines, lines.Sum(l => l.Amount));
    }
}
