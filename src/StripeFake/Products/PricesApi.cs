using System.Globalization;
using System.Text.Json.Nodes;
using Platform.StripeFake.Webhooks;
using Platform.StripeFake.Wire;

namespace Platform.StripeFake.Products;

/// <summary>
/// <c>/v1/prices</c>: create (flat recurring or one-off, per unit) and retrieve, in Stripe's shape. A price
/// created here is what subscriptions and checkout sessions then charge (SubscriptionLifecycle.Price).
/// </summary>
internal static class PricesApi
{
    private static readonly string[] _intervals = ["day", "week", "month", "year"];

    public static IEndpointRouteBuilder MapPricesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/prices").WithTags("Products");
        group.MapPost("/", CreateAsync).WithName("CreatePrice");
        group.MapGet("/{id}", GetAsync).WithName("GetPrice");
        return app;
    }

    private static async Task<IResult> CreateAsync(HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        var currency = form.Require("currency").ToLowerInvariant();
        var amount = form.GetLong("unit_amount")
            ?? throw StripeApiException.InvalidRequest("Missing required param: unit_amount.", "unit_amount", "parameter_missing");
        if (amount < 0)
        {
            throw StripeApiException.InvalidRequest("This value must be greater than or equal to 0.", "unit_amount", "parameter_invalid_integer");
        }

        var recurring = form.GetObject("recurring");
        var interval = recurring is null ? null : FormRequest.GetString(recurring, "interval");
        if (recurring is not null && !_intervals.Contains(interval))
        {
            throw StripeApiException.InvalidRequest("Invalid recurring[interval]: must be one of day, week, month, or year", "recurring[interval]");
        }

        var request = RequestInfo.From(http);
        lock (services.State.Sync)
        {
            var productId = form.GetString("product");
            if (productId is not null)
            {
                services.State.Require(productId, "product", "product");
            }
            else if (form.GetObject("product_data") is { } productData && FormRequest.GetString(productData, "name") is { Length: > 0 } name)
            {
                var product = new JsonObject
                {
                    ["id"] = StripeJson.NewId("prod", 14),
                    ["object"] = "product",
                    ["active"] = true,
                    ["created"] = services.Now,
                    ["name"] = name,
                    ["metadata"] = new JsonObject(),
                    ["type"] = "service",
                    ["updated"] = services.Now,
                };
                services.State.Add(product, null);
                productId = (string)product["id"]!;
            }
            else
            {
                throw StripeApiException.InvalidRequest("Missing required param: product.", "product", "parameter_missing");
            }

            var price = new JsonObject
            {
                ["id"] = StripeJson.NewId("price"),
                ["object"] = "price",
                ["active"] = form.GetBool("active") ?? true,
                ["billing_scheme"] = "per_unit",
                ["created"] = services.Now,
                ["currency"] = currency,
                ["custom_unit_amount"] = null,
                ["livemode"] = false,
                ["lookup_key"] = form.GetString("lookup_key"),
                ["metadata"] = new JsonObject(),
                ["nickname"] = form.GetString("nickname"),
                ["product"] = productId,
                ["recurring"] = recurring is null ? null : new JsonObject
                {
                    ["interval"] = interval,
                    ["interval_count"] = FormRequest.GetLong(recurring, "interval_count") ?? 1,
                    ["meter"] = null,
                    ["usage_type"] = "licensed",
                    ["trial_period_days"] = null,
                },
                ["tax_behavior"] = "unspecified",
                ["tiers_mode"] = null,
                ["transform_quantity"] = null,
                ["type"] = recurring is null ? "one_time" : "recurring",
                ["unit_amount"] = amount,
                ["unit_amount_decimal"] = amount.ToString(CultureInfo.InvariantCulture),
            };
            if (form.Has("metadata"))
            {
                Metadata.Apply(price, form.Root["metadata"]);
            }

            services.State.Add(price, request.IdempotencyKey);
            services.Publish("price.created", price, request);
            return services.Render(price, form);
        }
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        lock (services.State.Sync)
        {
            return services.Render(services.State.Require(id, "price"), form);
        }
    }
}
