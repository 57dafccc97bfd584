using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Plans;
using Stripe;

namespace Platform.Grains.Pci.Plans;

/// <summary>
/// How a plan's usage charge becomes a Stripe metered Price (docs/PLANS.md, "Usage charges at Stripe"), and which
/// charges have none that bills exactly what our invoice would. Pure: no I/O.
/// <list type="bullet">
/// <item><c>per_unit</c> → <c>billing_scheme=per_unit</c>, <c>unit_amount</c>.</item>
/// <item><c>package</c> → <c>per_unit</c> with <c>unit_amount</c> = package amount and
/// <c>transform_quantity {divide_by: package_size, round: up}</c>: ⌈q ÷ size⌉ × amount.</item>
/// <item><c>graduated</c>, <c>volume</c> → <c>billing_scheme=tiered</c>, <c>tiers_mode</c>, the tiers (<c>up_to</c>, the last <c>inf</c>).</item>
/// </list>
/// Refused: a tiered charge whose first tier has a <c>flat_amount</c> (Stripe charges it even for no usage; we charge
/// nothing), and usage charges on a plan with a trial (Stripe bills the usage of the trial period; we bill a trial at 0).
/// </summary>
public static class StripeUsagePricing
{
    /// <summary>The refusal for a plan that cannot be billed exactly at Stripe, else null.</summary>
    public static PlatformException? Refusal(PlanDraft plan)
    {
        if (plan.UsageCharges.Count > 0 && plan.TrialDays > 0)
        {
            return Refuse("A plan with a trial and usage charges cannot be sold through Checkout: Stripe bills the trial's usage, this platform does not.",
                "trial_days");
        }
        for (var i = 0; i < plan.UsageCharges.Count; i++)
        {
            var charge = plan.UsageCharges[i];
            if (charge.Model is PricingModel.Graduated or PricingModel.Volume && charge.Tiers.Count > 0 && charge.Tiers[0].FlatAmount > 0)
            {
                return Refuse("A flat amount on the first tier cannot be sold through Checkout: Stripe charges it even without usage, this platform does not.",
                    $"usage_charges[{i}][tiers][0][flat_amount]");
            }
        }
        return null;
    }

    public static PriceCreateOptions PriceOptions(UsageCharge charge, PlanDraft plan, string productId, string meterId, Dictionary<string, string> metadata)
    {
        var options = new PriceCreateOptions
        {
            Product = productId,
            Currency = plan.Currency,
            Nickname = $"{plan.Code} {charge.Metric}",
            Recurring = new PriceRecurringOptions { Interval = Interval(plan.Interval), UsageType = "metered", Meter = meterId },
            Metadata = metadata,
        };
        switch (charge.Model)
        {
            case PricingModel.PerUnit:
                options.BillingScheme = "per_unit";
                options.UnitAmount = charge.UnitAmount ?? 0;
                break;
            case PricingModel.Package:
                options.BillingScheme = "per_unit";
                options.UnitAmount = charge.PackageAmount ?? 0;
                options.TransformQuantity = new PriceTransformQuantityOptions { DivideBy = charge.PackageSize ?? 1, Round = "up" };
                break;
            default:
                options.BillingScheme = "tiered";
                options.TiersMode = charge.Model == PricingModel.Volume ? "volume" : "graduated";
                options.Tiers = charge.Tiers.Select(t => new PriceTierOptions
                {
                    UpTo = t.UpTo is { } upTo ? upTo : PriceTierUpTo.Inf,
                    UnitAmount = t.UnitAmount,
                    FlatAmount = t.FlatAmount > 0 ? t.FlatAmount : null,
                }).ToList();
                break;
        }
        return options;
    }

    public static string Interval(PlanInterval interval) => interval switch
    {
        PlanInterval.Day => "day",
        PlanInterval.Year => "year",
        _ => "month",
    };

    private static PlatformException Refuse(string message, string param) =>
        new(PlatformErrorKind.InvalidRequest, PlanErrorCodes.PlanNotExpressibleAtStripe, message, param);
}
