using Platform.Grains.Interfaces.Adjustments;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Plans;
using Platform.Grains.Invoices;

namespace Platform.Grains.Subscriptions;

/// <summary>
/// The proration items of a mid-period plan change (pure; docs/INVOICES.md "Proration"). By the second: with
/// <c>r</c> = seconds left of the period over its length, the old plan's flat fee × r is credited (a negative item) and
/// the new plan's × r charged, each rounded half away from zero. The period's invoice bills the old plan's full fee
/// (the plan it began on), so old × (1 − r) + new × r is paid for the period in all. <c>none</c> makes no items;
/// <c>always_invoice</c> makes the same items and bills them at once.
/// </summary>
public static class Prorations
{
    public const string CreateProrations = "create_prorations";
    public const string AlwaysInvoice = "always_invoice";
    public const string None = "none";

    public static bool IsKnown(string? value) => value is CreateProrations or AlwaysInvoice or None;

    public static IReadOnlyList<InvoiceItemDraft> Items(
        string customerId, SubscriptionState state, PlanSnapshot from, PlanSnapshot to, DateTimeOffset now, string behavior, string? requestKey)
    {
        if (behavior == None || state.CurrentPeriodStart is not { } startSeconds || state.CurrentPeriodEnd is not { } endSeconds)
        {
            return [];
        }
        var start = DateTimeOffset.FromUnixTimeSeconds(startSeconds);
        var end = DateTimeOffset.FromUnixTimeSeconds(endSeconds);
        var left = (long)(end - now).TotalSeconds;
        var length = (long)(end - start).TotalSeconds;
        if (left <= 0 || length <= 0)
        {
            return [];
        }
        var remaining = Math.Min(left, length);
        var credit = -InvoiceAdjustments.Round((decimal)from.Definition.Amount * remaining / length);
        var charge = InvoiceAdjustments.Round((decimal)to.Definition.Amount * remaining / length);
        // Ids from the change itself (subscription, moment, plans, request): a replayed change writes the same two rows.
        var fact = $"{state.StripeSubscriptionId}/{now.ToUnixTimeMilliseconds()}/{from.Id}/{to.Id}/{requestKey}";
        var after = now.UtcDateTime.ToString("d MMM yyyy HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
        var items = new List<InvoiceItemDraft>(2);
        if (credit != 0)
        {
            items.Add(Item(customerId, state, from, credit, $"Unused time on {Name(from)} after {after}", now, end, fact + "/credit"));
        }
        if (charge != 0)
        {
            items.Add(Item(customerId, state, to, charge, $"Remaining time on {Name(to)} after {after}", now, end, fact + "/charge"));
        }
        return items;
    }

    private static InvoiceItemDraft Item(string customerId, SubscriptionState state, PlanSnapshot plan, long amount, string description,
        DateTimeOffset start, DateTimeOffset end, string fact) =>
        new(customerId, amount, plan.Definition.Currency, description, new Dictionary<string, string>(), [], state.StripeSubscriptionId, plan.Id,
            Proration: true, PeriodStart: start, PeriodEnd: end, Id: PlatformIds.DerivedId(PlatformIds.InvoiceItemPrefix, customerId, fact));

    private static string Name(PlanSnapshot plan) => plan.Definition.Name ?? plan.Definition.Code;
}
