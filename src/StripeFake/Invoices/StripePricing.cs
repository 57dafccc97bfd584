using System.Globalization;
using System.Text.Json.Nodes;
using Platform.StripeFake.Wire;

namespace Platform.StripeFake.Invoices;

/// <summary>
/// What a Stripe price charges for a quantity (a licensed quantity, or a meter's total for the period), in
/// minor units, as Stripe computes invoice lines:
/// <list type="bullet">
/// <item><c>per_unit</c>: quantity × <c>unit_amount_decimal</c>; with <c>transform_quantity</c> the quantity is
/// first divided by <c>divide_by</c> and rounded to a whole number, <c>up</c> or <c>down</c>.</item>
/// <item><c>tiered</c>, <c>graduated</c>: each tier prices the units inside it (the units above the previous
/// tier's <c>up_to</c>, up to its own) at its <c>unit_amount</c>, plus its <c>flat_amount</c> once.</item>
/// <item><c>tiered</c>, <c>volume</c>: the tier the whole quantity falls into (the first whose <c>up_to</c> is at
/// least the quantity, or the <c>inf</c> tier) prices every unit, plus its <c>flat_amount</c>.</item>
/// </list>
/// A quantity of 0 falls into the first tier, so its <c>flat_amount</c> is charged in both tier modes (the way
/// Stripe bills a base fee placed in the first tier). A fractional result (from decimal unit amounts or
/// quantities) is rounded to the nearest minor unit, half away from zero, once per line.
/// </summary>
public static class StripePricing
{
    /// <summary>The line amount of <paramref name="price"/> (a Stripe price object) for <paramref name="quantity"/>.</summary>
    public static long Amount(JsonObject price, decimal quantity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(quantity);
        var amount = (string?)price["billing_scheme"] == "tiered"
            ? Tiered(price, quantity)
            : TransformedQuantity(price, quantity) * UnitAmount(price);
        return decimal.ToInt64(decimal.Round(amount, 0, MidpointRounding.AwayFromZero));
    }

    /// <summary>The quantity after <c>transform_quantity</c> (unchanged without one).</summary>
    public static decimal TransformedQuantity(JsonObject price, decimal quantity)
    {
        if (price["transform_quantity"] is not JsonObject transform)
        {
            return quantity;
        }

        var divided = quantity / Math.Max(1, StripeJson.Long(transform["divide_by"]));
        return (string?)transform["round"] == "up" ? decimal.Ceiling(divided) : decimal.Floor(divided);
    }

    private static decimal Tiered(JsonObject price, decimal quantity)
    {
        var tiers = (price["tiers"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (tiers.Count == 0)
        {
            return 0;
        }

        if ((string?)price["tiers_mode"] == "volume")
        {
            var tier = tiers.FirstOrDefault(t => UpTo(t) is not { } upTo || quantity <= upTo) ?? tiers[^1];
            return (quantity * TierUnitAmount(tier)) + FlatAmount(tier);
        }

        decimal total = 0;
        decimal below = 0;
        for (var i = 0; i < tiers.Count; i++)
        {
            var tier = tiers[i];
            var top = UpTo(tier) is { } upTo ? Math.Min(quantity, upTo) : quantity;
            var units = top - below;
            if (units <= 0 && !(i == 0 && quantity == 0))
            {
                break;
            }

            total += (Math.Max(units, 0) * TierUnitAmount(tier)) + FlatAmount(tier);
            below = top;
        }

        return total;
    }

    private static decimal UnitAmount(JsonObject price) =>
        Decimal(price["unit_amount_decimal"]) ?? StripeJson.Long(price["unit_amount"]);

    private static decimal TierUnitAmount(JsonObject tier) =>
        Decimal(tier["unit_amount_decimal"]) ?? StripeJson.Long(tier["unit_amount"]);

    private static decimal FlatAmount(JsonObject tier) =>
        Decimal(tier["flat_amount_decimal"]) ?? StripeJson.Long(tier["flat_amount"]);

    private static decimal? UpTo(JsonObject tier) => tier["up_to"] is null ? null : StripeJson.Long(tier["up_to"]);

    private static decimal? Decimal(JsonNode? node) =>
        node is JsonValue value && decimal.TryParse(value.ToString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : null;
}
