using Platform.Grains.Interfaces.Invoices;
using Platform.Grains.Interfaces.Plans;

namespace Platform.Grains.Billing;

/// <summary>
/// Prices a quantity under a usage charge, in minor units. Pure, so every model is unit-tested against
/// worked examples (docs/PLANS.md). Quantities may be fractional (a metric's sum); a fractional amount
/// of money is rounded half away from zero once, at the end of each line. No usage costs nothing in
/// every model (a tier's flat amount is charged only when some unit falls into that tier).
/// </summary>
public static class PriceCalculator
{
    public static long Amount(UsageCharge charge, decimal quantity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(quantity);
        if (quantity == 0)
        {
            return 0;
        }
        var amount = charge.Model switch
        {
            PricingModel.PerUnit => quantity * (charge.UnitAmount ?? 0),
            PricingModel.Package => decimal.Ceiling(quantity / Math.Max(charge.PackageSize ?? 1, 1)) * (charge.PackageAmount ?? 0),
            PricingModel.Graduated => Graduated(charge.Tiers, quantity),
            PricingModel.Volume => Volume(charge.Tiers, quantity),
            _ => throw new ArgumentOutOfRangeException(nameof(charge), charge.Model, "Unknown pricing model."),
        };
        return ToMinorUnits(amount);
    }

    /// <summary>
    /// The tiers a graduated or volume charge used for <paramref name="quantity"/>, each with its units and its
    /// unrounded share; their sum, rounded once, is <see cref="Amount"/>. Other models use no tiers (empty).
    /// </summary>
    public static IReadOnlyList<InvoiceLineTier> TiersUsed(UsageCharge charge, decimal quantity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(quantity);
        var used = new List<InvoiceLineTier>();
        if (quantity == 0 || charge.Tiers.Count == 0)
        {
            return used;
        }
        if (charge.Model == PricingModel.Volume)
        {
            var index = 0;
            while (index < charge.Tiers.Count - 1 && charge.Tiers[index].UpTo is { } upTo && quantity > upTo)
            {
                index++;
            }
            var tier = charge.Tiers[index];
            used.Add(new InvoiceLineTier(index, tier.UpTo, quantity, tier.UnitAmount, tier.FlatAmount, quantity * tier.UnitAmount + tier.FlatAmount));
            return used;
        }
        if (charge.Model != PricingModel.Graduated)
        {
            return used;
        }
        decimal below = 0;
        for (var i = 0; i < charge.Tiers.Count; i++)
        {
            var tier = charge.Tiers[i];
            var top = tier.UpTo is { } upTo ? Math.Min(quantity, upTo) : quantity;
            var units = top - below;
            if (units <= 0)
            {
                break;
            }
            used.Add(new InvoiceLineTier(i, tier.UpTo, units, tier.UnitAmount, tier.FlatAmount, units * tier.UnitAmount + tier.FlatAmount));
            below = top;
        }
        return used;
    }

    /// <summary>Each tier prices the units inside it: 0–up_to of the first, then the next range, and so on.</summary>
    private static decimal Graduated(IReadOnlyList<PriceTier> tiers, decimal quantity)
    {
        decimal total = 0;
        decimal below = 0;
        foreach (var tier in tiers)
        {
            var top = tier.UpTo is { } upTo ? Math.Min(quantity, upTo) : quantity;
            var units = top - below;
            if (units <= 0)
            {
                break;
            }
            total += units * tier.UnitAmount + tier.FlatAmount;
            below = top;
        }
        return total;
    }

    /// <summary>The tier the whole quantity falls into prices every unit.</summary>
    private static decimal Volume(IReadOnlyList<PriceTier> tiers, decimal quantity)
    {
        var tier = tiers.FirstOrDefault(t => t.UpTo is null || quantity <= t.UpTo) ?? tiers[^1];
        return quantity * tier.UnitAmount + tier.FlatAmount;
    }

    private static long ToMinorUnits(decimal amount)
    {
        var rounded = decimal.Round(amount, 0, MidpointRounding.AwayFromZero);
        return rounded >= long.MaxValue ? long.MaxValue : (long)rounded;
    }
}
