using Platform.Grains.Billing;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Invoices;

namespace Platform.Grains.Invoices;

/// <summary>
/// An invoice's lines from its pricing and the usage log's sums over its period. Pure. Rounding
/// (docs/INVOICES.md): a usage line's amount is its tiers' unrounded shares summed, then rounded half away
/// from zero once, to minor units (PriceCalculator); the subtotal is the sum of the lines' amounts; no tax
/// or discount, so total = amount_due = subtotal. A trial period prices every line at zero.
/// </summary>
public static class InvoiceCalculator
{
    public const string SubscriptionLine = "subscription";
    public const string UsageLine = "usage";

    public static IReadOnlyList<InvoiceLineItem> Lines(
        string invoiceId, InvoicePricing pricing, IReadOnlyDictionary<string, decimal> usage,
        DateTimeOffset periodStart, DateTimeOffset periodEnd, bool trial)
    {
        var lines = new List<InvoiceLineItem>(1 + pricing.Charges.Count)
        {
            new(PlatformIds.InvoiceLineIdFor(invoiceId, 0), SubscriptionLine, $"{pricing.Name} ({(trial ? "trial" : "flat")})", null,
                1, trial ? 0 : pricing.FlatAmount, null, [], periodStart, periodEnd),
        };
        foreach (var charge in pricing.Charges)
        {
            var quantity = Math.Max(usage.GetValueOrDefault(charge.Metric), 0);
            lines.Add(new InvoiceLineItem(PlatformIds.InvoiceLineIdFor(invoiceId, lines.Count), UsageLine, $"{charge.Metric} usage",
                charge.Metric, quantity, trial ? 0 : PriceCalculator.Amount(charge, quantity), charge.Model,
                PriceCalculator.TiersUsed(charge, quantity), periodStart, periodEnd));
        }
        return lines;
    }

    public static long Subtotal(IEnumerable<InvoiceLineItem> lines) => lines.Sum(l => l.Amount);
}
