using System.Text.Json.Nodes;
using Platform.StripeFake.Products;
using Platform.StripeFake.Wire;

namespace Platform.StripeFake.Subscriptions;

/// <summary>A subscription's items and periods: add an item (a metered price takes no quantity), and period lengths.</summary>
internal static class SubscriptionItems
{
    public const long SecondsPerDay = 86_400;
    private const long Month = 30 * SecondsPerDay;

    public static void Add(FakeServices services, JsonObject subscription, SubscriptionItemSpec spec, string param = "items")
    {
        var price = PriceCatalog.Price(services, spec.Price);
        var metered = PriceCatalog.IsMetered(price);
        if (metered && spec.Quantity is not null)
        {
            throw StripeApiException.InvalidRequest("Quantity should not be specified where usage_type is `metered`. Remove quantity from the item.", param);
        }

        var item = new JsonObject
        {
            ["id"] = StripeJson.NewId("si", 14),
            ["object"] = "subscription_item",
            ["created"] = services.Now,
            ["current_period_end"] = subscription["current_period_end"]?.DeepClone(),
            ["current_period_start"] = subscription["current_period_start"]?.DeepClone(),
            ["discounts"] = new JsonArray(),
            ["metadata"] = new JsonObject(),
            ["price"] = price,
            ["subscription"] = subscription["id"]?.DeepClone(),
            ["tax_rates"] = new JsonArray(),
        };
        if (!metered)
        {
            // Stripe leaves quantity out of a metered item (its usage comes from the meter).
            item["quantity"] = spec.Quantity ?? 1;
        }

        Array(subscription).Add(item);
        ((JsonObject)subscription["items"]!)["total_count"] = Array(subscription).Count;
    }

    public static JsonArray Array(JsonObject subscription) => (JsonArray)subscription["items"]!["data"]!;

    public static IEnumerable<JsonObject> All(JsonObject subscription) => Array(subscription).OfType<JsonObject>();

    /// <summary>Sets the current period of the subscription and its items to <c>[start, start + interval]</c>.</summary>
    public static void StartPeriod(JsonObject subscription, long start)
    {
        var length = IntervalSeconds((string?)All(subscription).FirstOrDefault()?["price"]?["recurring"]?["interval"]);
        subscription["current_period_start"] = start;
        subscription["current_period_end"] = start + length;
        foreach (var item in All(subscription))
        {
            item["current_period_start"] = start;
            item["current_period_end"] = start + length;
        }
    }

    public static long PeriodSeconds(FakeServices services, string priceId) =>
        IntervalSeconds((string?)PriceCatalog.Price(services, priceId)["recurring"]?["interval"]);

    /// <summary>Fixed lengths (a month is 30 days): enough for the platform, which reads periods from the events.</summary>
    private static long IntervalSeconds(string? interval) => interval switch
    {
        "day" => SecondsPerDay,
        "week" => 7 * SecondsPerDay,
        "year" => 365 * SecondsPerDay,
        _ => Month,
    };
}
