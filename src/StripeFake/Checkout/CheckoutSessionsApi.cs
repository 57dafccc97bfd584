using System.Text.Json.Nodes;
using Platform.StripeFake.Products;
using Platform.StripeFake.Subscriptions;
using Platform.StripeFake.Webhooks;
using Platform.StripeFake.Wire;

namespace Platform.StripeFake.Checkout;

/// <summary>
/// <c>/v1/checkout/sessions</c>: create, retrieve, expire; the hosted page a session's <c>url</c> opens is
/// <see cref="CheckoutPage"/>.
/// </summary>
internal static class CheckoutSessionsApi
{
    public const string LineItemsKey = "line_items";
    public const string SubscriptionDataKey = "subscription_data";

    public static IEndpointRouteBuilder MapCheckoutSessionsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/checkout/sessions").WithTags("Checkout");
        group.MapPost("/", CreateAsync).WithName("CreateCheckoutSession");
        group.MapGet("/{id}", GetAsync).WithName("GetCheckoutSession");
        group.MapPost("/{id}/expire", ExpireAsync).WithName("ExpireCheckoutSession");
        app.MapCheckoutPage();
        return app;
    }

    private static async Task<IResult> CreateAsync(HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        var mode = form.Require("mode");
        if (mode is not ("payment" or "subscription" or "setup"))
        {
            throw StripeApiException.InvalidRequest($"Invalid mode: must be one of payment, setup, or subscription", "mode");
        }

        var lineItems = form.GetObjects("line_items");
        if (mode != "setup" && lineItems.Count == 0)
        {
            throw StripeApiException.InvalidRequest("line_items is required in payment and subscription mode.", "line_items", "parameter_missing");
        }

        var items = SubscriptionsApi.ItemsOf(lineItems);
        var request = RequestInfo.From(http);
        var baseUrl = $"{http.Request.Scheme}://{http.Request.Host}";
        lock (services.State.Sync)
        {
            var customerId = form.GetString("customer");
            if (customerId is not null)
            {
                services.State.Require(customerId, "customer", "customer");
            }

            if (items.Select((item, index) => (item, index)).FirstOrDefault(i => i.item.Quantity is not null && PriceCatalog.IsMetered(PriceCatalog.Price(services, i.item.Price))) is { item: not null } metered)
            {
                throw StripeApiException.InvalidRequest(
                    "Quantity should not be specified where usage_type is `metered`. Remove quantity from the line item.", $"line_items[{metered.index}][quantity]");
            }

            // Metered prices are billed in arrears at period end, so they add nothing to what the session collects.
            var total = items
                .Select(i => (Price: PriceCatalog.Price(services, i.Price), i.Quantity))
                .Where(i => !PriceCatalog.IsMetered(i.Price))
                .Sum(i => Invoices.StripePricing.Amount(i.Price, i.Quantity ?? 1));
            var id = StripeJson.NewId("cs_test", 58);
            var session = new JsonObject
            {
                ["id"] = id,
                ["object"] = "checkout.session",
                ["amount_subtotal"] = mode == "setup" ? null : total,
                ["amount_total"] = mode == "setup" ? null : total,
                ["cancel_url"] = form.GetString("cancel_url"),
                ["client_reference_id"] = form.GetString("client_reference_id"),
                ["client_secret"] = null,
                ["created"] = services.Now,
                ["currency"] = mode == "setup" ? null : form.GetString("currency") ?? "usd",
                ["customer"] = customerId,
                ["customer_creation"] = customerId is null && mode == "payment" ? "if_required" : null,
                ["customer_details"] = null,
                ["customer_email"] = form.GetString("customer_email"),
                ["expires_at"] = services.Now + 86_400,
                ["invoice"] = null,
                ["livemode"] = false,
                ["locale"] = form.GetString("locale"),
                ["metadata"] = new JsonObject(),
                ["mode"] = mode,
                ["payment_intent"] = null,
                ["payment_method_types"] = new JsonArray("card"),
                ["payment_status"] = mode == "setup" ? "no_payment_required" : "unpaid",
                ["setup_intent"] = null,
                ["status"] = "open",
                ["subscription"] = null,
                ["success_url"] = form.GetString("success_url"),
                ["ui_mode"] = form.GetString("ui_mode") ?? "hosted",
                ["url"] = $"{baseUrl}/checkout/{id}",
            };
            if (form.Has("metadata"))
            {
                Metadata.Apply(session, form.Root["metadata"]);
            }

            services.State.Add(session, request.IdempotencyKey);
            var extras = services.State.Internal(id);
            extras[LineItemsKey] = new JsonArray([.. items.Select(i => (JsonNode?)new JsonObject { ["price"] = i.Price, ["quantity"] = i.Quantity })]);
            extras[SubscriptionDataKey] = form.GetObject("subscription_data")?.DeepClone();
            return services.Render(session, form);
        }
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        lock (services.State.Sync)
        {
            return services.Render(services.State.Require(id, "checkout.session"), form);
        }
    }

    private static async Task<IResult> ExpireAsync(string id, HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        var request = RequestInfo.From(http);
        lock (services.State.Sync)
        {
            var session = services.State.Require(id, "checkout.session");
            if ((string?)session["status"] != "open")
            {
                throw StripeApiException.InvalidRequest($"Only Checkout Sessions with a status in [\"open\"] can be expired.", null, "checkout_session_unexpected_state");
            }

            session["status"] = "expired";
            session["url"] = null;
            services.Publish("checkout.session.expired", session, request);
            return services.Render(session, form);
        }
    }
}
