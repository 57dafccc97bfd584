using System.Text.Json.Nodes;
using Platform.StripeFake.Webhooks;
using Platform.StripeFake.Wire;

namespace Platform.StripeFake.Products;

/// <summary>
/// <c>/v1/prices</c>: create (one-off or recurring; per unit, with transform_quantity, or tiered; licensed or
/// metered by a billing meter, see <see cref="PriceTerms"/>) and retrieve, in Stripe's shape. A price created
/// here is what subscriptions and checkout sessions then charge (<see cref="PriceCatalog"/>).
/// </summary>
internal static class PricesApi
{
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
                ["recurring"] = null,
                ["tax_behavior"] = "unspecified",
                ["tiers_mode"] = null,
                ["transform_quantity"] = null,
                ["type"] = "one_time",
                ["unit_amount"] = null,
                ["unit_amount_decimal"] = null,
            };
            PriceTerms.Apply(form, price, services.State);
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
