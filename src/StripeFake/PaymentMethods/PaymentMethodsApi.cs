using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.StripeFake.Webhooks;
using Platform.StripeFake.Wire;

namespace Platform.StripeFake.PaymentMethods;

/// <summary>
/// <c>/v1/payment_methods</c>: retrieve, attach, detach, list. A test token (<c>pm_card_visa</c>) used
/// anywhere becomes a concrete <c>pm_…</c> object with brand, last4 and expiry.
/// </summary>
internal static class PaymentMethodsApi
{
    private const string CardKey = "test_card";

    public static IEndpointRouteBuilder MapPaymentMethodsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/payment_methods").WithTags("PaymentMethods");
        group.MapGet("/", ListAsync).WithName("ListPaymentMethods");
        group.MapGet("/{id}", GetAsync).WithName("GetPaymentMethod");
        group.MapPost("/{id}", UpdateAsync).WithName("UpdatePaymentMethod");
        group.MapPost("/{id}/attach", AttachAsync).WithName("AttachPaymentMethod");
        group.MapPost("/{id}/detach", DetachAsync).WithName("DetachPaymentMethod");
        app.MapGet("/v1/customers/{customerId}/payment_methods", ListForCustomerAsync)
            .WithTags("PaymentMethods").WithName("ListCustomerPaymentMethods");
        return app;
    }

    /// <summary>The live payment method for an id or test token; throws resource_missing otherwise.</summary>
    public static JsonObject Resolve(FakeServices services, string id, string param)
    {
        var existing = services.State.Find(id);
        if (existing is not null && (string?)existing["object"] == "payment_method")
        {
            return existing;
        }

        var card = TestCards.Find(id) ?? throw StripeApiException.InvalidRequest($"No such PaymentMethod: '{id}'", param, "resource_missing");
        var expYear = services.Options.TimeProvider.GetUtcNow().Year + 3;
        var paymentMethod = new JsonObject
        {
            ["id"] = StripeJson.NewId("pm"),
            ["object"] = "payment_method",
            ["allow_redisplay"] = "unspecified",
            ["billing_details"] = new JsonObject
            {
                ["address"] = null,
                ["email"] = null,
                ["name"] = null,
                ["phone"] = null,
                ["tax_id"] = null,
            },
            ["card"] = new JsonObject
            {
                ["brand"] = card.Brand,
                ["checks"] = new JsonObject { ["address_line1_check"] = null, ["address_postal_code_check"] = null, ["cvc_check"] = "pass" },
                ["country"] = "US",
                ["display_brand"] = card.Brand,
                ["exp_month"] = 12,
                ["exp_year"] = expYear,
                ["fingerprint"] = "fp" + card.Last4 + card.Brand,
                ["funding"] = card.Funding,
                ["generated_from"] = null,
                ["last4"] = card.Last4,
                ["networks"] = new JsonObject { ["available"] = new JsonArray(card.Brand), ["preferred"] = null },
                ["regulated_status"] = "unregulated",
                ["three_d_secure_usage"] = new JsonObject { ["supported"] = true },
                ["wallet"] = null,
            },
            ["created"] = services.Now,
            ["customer"] = null,
            ["livemode"] = false,
            ["metadata"] = new JsonObject(),
            ["type"] = "card",
        };
        services.State.Add(paymentMethod, null);
        services.State.Internal((string)paymentMethod["id"]!)[CardKey] = JsonSerializer.SerializeToNode(card.Token);
        return paymentMethod;
    }

    /// <summary>The test card behind a concrete payment method (Visa for anything unknown).</summary>
    public static TestCard CardOf(FakeServices services, JsonObject paymentMethod)
    {
        var token = services.State.Internal((string)paymentMethod["id"]!)[CardKey]?.GetValue<string>();
        return (token is null ? null : TestCards.Find(token)) ?? TestCards.Visa;
    }

    public static void Attach(FakeServices services, JsonObject paymentMethod, string customerId, RequestInfo request)
    {
        services.State.Require(customerId, "customer", "customer");
        var current = (string?)paymentMethod["customer"];
        if (current == customerId)
        {
            return;
        }

        if (current is not null)
        {
            throw StripeApiException.InvalidRequest(
                "The payment method you provided has already been attached to a customer.", "payment_method", "payment_method_unexpected_state");
        }

        paymentMethod["customer"] = customerId;
        services.Publish("payment_method.attached", paymentMethod, request, new JsonObject { ["customer"] = null });
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        lock (services.State.Sync)
        {
            return services.Render(Resolve(services, id, "payment_method"), form);
        }
    }

    private static async Task<IResult> UpdateAsync(string id, HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        var request = RequestInfo.From(http);
        lock (services.State.Sync)
        {
            var paymentMethod = services.State.Require(id, "payment_method");
            var before = (JsonObject)paymentMethod.DeepClone();
            if (form.Has("metadata"))
            {
                Metadata.Apply(paymentMethod, form.Root["metadata"]);
            }

            if (form.GetObject("billing_details") is { } billing && paymentMethod["billing_details"] is JsonObject details)
            {
                foreach (var (key, value) in billing)
                {
                    details[key] = value?.DeepClone();
                }
            }

            services.Publish("payment_method.updated", paymentMethod, request, PreviousAttributes.Compute(before, paymentMethod));
            return services.Render(paymentMethod, form);
        }
    }

    private static async Task<IResult> AttachAsync(string id, HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        var customerId = form.Require("customer");
        var request = RequestInfo.From(http);
        lock (services.State.Sync)
        {
            services.State.Require(customerId, "customer", "customer");
            var paymentMethod = Resolve(services, id, "payment_method");
            Attach(services, paymentMethod, customerId, request);
            return services.Render(paymentMethod, form);
        }
    }

    private static async Task<IResult> DetachAsync(string id, HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        var request = RequestInfo.From(http);
        lock (services.State.Sync)
        {
            var paymentMethod = services.State.Require(id, "payment_method");
            if (paymentMethod["customer"] is not JsonValue customer)
            {
                throw StripeApiException.InvalidRequest(
                    "The payment method you provided is not attached to a customer so detachment is impossible.",
                    "payment_method",
                    "payment_method_unexpected_state");
            }

            var customerId = customer.ToString();
            paymentMethod["customer"] = null;
            if (services.State.Find(customerId)?["invoice_settings"] is JsonObject settings
                && (string?)settings["default_payment_method"] == id)
            {
                settings["default_payment_method"] = null;
            }

            services.Publish("payment_method.detached", paymentMethod, request, new JsonObject { ["customer"] = customerId });
            return services.Render(paymentMethod, form);
        }
    }

    private static async Task<IResult> ListAsync(HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        return List(services, form, form.GetString("customer"), "/v1/payment_methods");
    }

    private static async Task<IResult> ListForCustomerAsync(string customerId, HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        lock (services.State.Sync)
        {
            services.State.Require(customerId, "customer", "customer");
        }

        return List(services, form, customerId, $"/v1/customers/{customerId}/payment_methods");
    }

    private static IResult List(FakeServices services, FormRequest form, string? customerId, string url)
    {
        var type = form.GetString("type");
        lock (services.State.Sync)
        {
            var items = services.State.ListLive("payment_method")
                .Where(pm => customerId is null || (string?)pm["customer"] == customerId)
                .Where(pm => customerId is not null || pm["customer"] is not null)
                .Where(pm => type is null || (string?)pm["type"] == type)
                .Reverse();
            return StripeJson.Ok(StripeJson.List(url, items, form));
        }
    }
}
