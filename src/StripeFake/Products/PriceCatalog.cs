using System.Globalization;
using System.Text.Json.Nodes;

namespace Platform.StripeFake.Products;

/// <summary>
/// The price an item charges: one created through <c>/v1/prices</c> as it is (amount, currency, interval,
/// tiers, meter), else a monthly usd licensed price whose amount is configured
/// (<see cref="StripeFakeOptions.PriceAmounts"/>) or the default, so tests may name any price id.
/// </summary>
internal static class PriceCatalog
{
    public static JsonObject Price(FakeServices services, string priceId)
    {
        if (services.State.Find(priceId) is { } created && (string?)created["object"] == "price")
        {
            return (JsonObject)created.DeepClone();
        }

        var amount = services.Options.PriceAmounts.TryGetValue(priceId, out var known) ? known : services.Options.DefaultUnitAmount;
        return new JsonObject
        {
            ["id"] = priceId,
            ["object"] = "price",
            ["active"] = true,
            ["billing_scheme"] = "per_unit",
            ["created"] = services.Now,
            ["currency"] = "usd",
            ["livemode"] = false,
            ["lookup_key"] = null,
            ["metadata"] = new JsonObject(),
            ["nickname"] = null,
            ["product"] = "prod_" + priceId.Replace("price_", string.Empty, StringComparison.Ordinal),
            ["recurring"] = new JsonObject
            {
                ["interval"] = "month",
                ["interval_count"] = 1,
                ["meter"] = null,
                ["usage_type"] = "licensed",
                ["trial_period_days"] = null,
            },
            ["tax_behavior"] = "unspecified",
            ["tiers_mode"] = null,
            ["transform_quantity"] = null,
            ["type"] = "recurring",
            ["unit_amount"] = amount,
            ["unit_amount_decimal"] = amount.ToString(CultureInfo.InvariantCulture),
        };
    }

    /// <summary>Whether a price is billed in arrears from a meter (<c>recurring.usage_type = metered</c>).</summary>
    public static bool IsMetered(JsonNode? price) => (string?)price?["recurring"]?["usage_type"] == "metered";
}
