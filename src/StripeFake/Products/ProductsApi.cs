using System.Text.Json.Nodes;
using Platform.StripeFake.Webhooks;
using Platform.StripeFake.Wire;

namespace Platform.StripeFake.Products;

/// <summary><c>/v1/products</c>: create and retrieve, in Stripe's shape (stripe/openapi fixtures3.json).</summary>
internal static class ProductsApi
{
    public static IEndpointRouteBuilder MapProductsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/products").WithTags("Products");
        group.MapPost("/", CreateAsync).WithName("CreateProduct");
        group.MapGet("/{id}", GetAsync).WithName("GetProduct");
        return app;
    }

    private static async Task<IResult> CreateAsync(HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        var name = form.Require("name");
        var request = RequestInfo.From(http);
        lock (services.State.Sync)
        {
            var id = form.GetString("id") ?? StripeJson.NewId("prod", 14);
            if (services.State.Find(id) is not null)
            {
                throw StripeApiException.InvalidRequest("Product already exists.", "id", "resource_already_exists");
            }

            var product = new JsonObject
            {
                ["id"] = id,
                ["object"] = "product",
                ["active"] = form.GetBool("active") ?? true,
                ["created"] = services.Now,
                ["default_price"] = null,
                ["description"] = form.GetString("description"),
                ["images"] = new JsonArray(),
                ["livemode"] = false,
                ["marketing_features"] = new JsonArray(),
                ["metadata"] = new JsonObject(),
                ["name"] = name,
                ["package_dimensions"] = null,
                ["shippable"] = null,
                ["statement_descriptor"] = null,
                ["tax_code"] = null,
                ["type"] = "service",
                ["unit_label"] = null,
                ["updated"] = services.Now,
                ["url"] = null,
            };
            if (form.Has("metadata"))
            {
                Metadata.Apply(product, form.Root["metadata"]);
            }

            services.State.Add(product, request.IdempotencyKey);
            services.Publish("product.created", product, request);
            return services.Render(product, form);
        }
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        lock (services.State.Sync)
        {
            return services.Render(services.State.Require(id, "product"), form);
        }
    }
}
