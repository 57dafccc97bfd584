using System.Globalization;
using System.Text.Json.Nodes;
using Platform.StripeFake.Billing;
using Platform.StripeFake.Products;
using Platform.StripeFake.Wire;

namespace Platform.StripeFake.Invoices;

/// <summary>
/// The lines of a subscription's invoice, one per item, in Stripe's <c>line_item</c> shape: licensed prices
/// for the period they pay in advance, metered prices for the period whose usage they bill in arrears (the
/// price's meter, aggregated over that period for the subscription's customer, priced by <see cref="StripePricing"/>).
/// </summary>
internal static class InvoiceLines
{
    /// <summary>Lines of the licensed items, each for the period <c>[start, end]</c>; <paramref name="free"/> zeroes them (a trial).</summary>
    public static List<JsonObject> Licensed(JsonObject subscription, long start, long end, bool free = false) =>
        [.. Items(subscription).Where(i => !PriceCatalog.IsMetered(i["price"])).Select(item =>
        {
            var quantity = StripeJson.Long(item["quantity"]);
            return Line(subscription, item, quantity, free ? 0 : StripePricing.Amount((JsonObject)item["price"]!, quantity), start, end);
        })];

    /// <summary>Lines of the metered items: the meter's value for <c>[start, end)</c> and its price.</summary>
    public static List<JsonObject> Metered(StripeFakeState state, JsonObject subscription, long start, long end) =>
        [.. Items(subscription).Where(i => PriceCatalog.IsMetered(i["price"])).Select(item =>
        {
            var price = (JsonObject)item["price"]!;
            var meter = state.Find((string?)price["recurring"]?["meter"]);
            var usage = meter is null ? 0m : MeterAggregation.Aggregate(state, meter, (string)subscription["customer"]!, start, end);
            return Line(subscription, item, usage, StripePricing.Amount(price, usage), start, end);
        })];

    private static IEnumerable<JsonObject> Items(JsonObject subscription) => ((JsonArray)subscription["items"]!["data"]!).OfType<JsonObject>();

    private static JsonObject Line(JsonObject subscription, JsonObject item, decimal quantity, long amount, long start, long end)
    {
        var price = (JsonObject)item["price"]!;
        var whole = decimal.Truncate(quantity) == quantity;
        var quantityText = quantity.ToString(CultureInfo.InvariantCulture);
        var metered = PriceCatalog.IsMetered(price);
        return new JsonObject
        {
            ["id"] = StripeJson.NewId("il"),
            ["object"] = "line_item",
            ["amount"] = amount,
            ["currency"] = price["currency"]?.DeepClone(),
            ["description"] = metered ? $"Usage: {quantityText} × {price["nickname"] ?? price["id"]}" : $"{quantityText} × {price["nickname"] ?? price["id"]}",
            ["discount_amounts"] = new JsonArray(),
            ["discountable"] = true,
            ["discounts"] = new JsonArray(),
            ["invoice"] = null,
            ["livemode"] = false,
            ["metadata"] = new JsonObject(),
            ["parent"] = new JsonObject
            {
                ["invoice_item_details"] = null,
                ["subscription_item_details"] = new JsonObject
                {
                    ["invoice_item"] = null,
                    ["proration"] = false,
                    ["proration_details"] = new JsonObject { ["credited_items"] = null },
                    ["subscription"] = subscription["id"]?.DeepClone(),
                    ["subscription_item"] = item["id"]?.DeepClone(),
                },
                ["type"] = "subscription_item_details",
            },
            ["period"] = new JsonObject { ["end"] = end, ["start"] = start },
            ["pretax_credit_amounts"] = new JsonArray(),
            ["pricing"] = new JsonObject
            {
                ["price_details"] = new JsonObject { ["price"] = price["id"]?.DeepClone(), ["product"] = price["product"]?.DeepClone() },
                ["type"] = "price_details",
                ["unit_amount_decimal"] = price["unit_amount_decimal"]?.DeepClone(),
            },
            ["quantity"] = whole ? decimal.ToInt64(quantity) : null,
            ["quantity_decimal"] = quantityText,
            ["subscription"] = subscription["id"]?.DeepClone(),
            ["subtotal"] = amount,
            ["taxes"] = new JsonArray(),
        };
    }
}
