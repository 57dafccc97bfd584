using System.Text.Json.Nodes;
using Platform.StripeFake.PaymentMethods;
using Platform.StripeFake.Webhooks;
using Platform.StripeFake.Wire;

namespace Platform.StripeFake.PaymentIntents;

/// <summary><c>/v1/payment_intents</c>: create (optionally confirm), retrieve, update, confirm, cancel, list.</summary>
internal static class PaymentIntentsApi
{
    public static IEndpointRouteBuilder MapPaymentIntentsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/payment_intents").WithTags("PaymentIntents");
        group.MapPost("/", CreateAsync).WithName("CreatePaymentIntent");
        group.MapGet("/", ListAsync).WithName("ListPaymentIntents");
        group.MapGet("/{id}", GetAsync).WithName("GetPaymentIntent");
        group.MapPost("/{id}", UpdateAsync).WithName("UpdatePaymentIntent");
        group.MapPost("/{id}/confirm", ConfirmAsync).WithName("ConfirmPaymentIntent");
        group.MapPost("/{id}/cancel", CancelAsync).WithName("CancelPaymentIntent");
        app.MapGet("/v1/charges/{id}", GetChargeAsync).WithTags("PaymentIntents").WithName("GetCharge");
        return app;
    }

    public static JsonObject Create(FakeServices services, long amount, string currency, string? customerId, RequestInfo request)
    {
        if (amount < 1)
        {
            throw StripeApiException.InvalidRequest("This value must be greater than or equal to 1.", "amount", "amount_too_small");
        }

        if (customerId is not null)
        {
            services.State.Require(customerId, "customer", "customer");
        }

        var id = StripeJson.NewId("pi");
        var paymentIntent = new JsonObject
        {
            ["id"] = id,
            ["object"] = "payment_intent",
            ["amount"] = amount,
            ["amount_capturable"] = 0,
            ["amount_details"] = new JsonObject { ["tip"] = new JsonObject() },
            ["amount_received"] = 0,
            ["application"] = null,
            ["application_fee_amount"] = null,
            ["automatic_payment_methods"] = null,
            ["canceled_at"] = null,
            ["cancellation_reason"] = null,
            ["capture_method"] = "automatic",
            ["client_secret"] = StripeJson.NewSecret(id),
            ["confirmation_method"] = "automatic",
            ["created"] = services.Now,
            ["currency"] = currency.ToLowerInvariant(),
            ["customer"] = customerId,
            ["description"] = null,
            ["last_payment_error"] = null,
            ["latest_charge"] = null,
            ["livemode"] = false,
            ["metadata"] = new JsonObject(),
            ["next_action"] = null,
            ["on_behalf_of"] = null,
            ["payment_method"] = null,
            ["payment_method_options"] = new JsonObject(),
            ["payment_method_types"] = new JsonArray("card"),
            ["processing"] = null,
            ["receipt_email"] = null,
            ["review"] = null,
            ["setup_future_usage"] = null,
            ["shipping"] = null,
            ["statement_descriptor"] = null,
            ["statement_descriptor_suffix"] = null,
            ["status"] = "requires_payment_method",
            ["transfer_data"] = null,
            ["transfer_group"] = null,
        };
        services.State.Add(paymentIntent, request.IdempotencyKey);
        return paymentIntent;
    }

    private static async Task<IResult> CreateAsync(HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        var amount = form.GetLong("amount") ?? throw StripeApiException.InvalidRequest("Missing required param: amount.", "amount", "parameter_missing");
        var currency = form.Require("currency");
        var request = RequestInfo.From(http);
        lock (services.State.Sync)
        {
            var paymentMethodId = form.GetString("payment_method");
            var paymentMethod = paymentMethodId is null ? null : PaymentMethodsApi.Resolve(services, paymentMethodId, "payment_method");
            var paymentIntent = Create(services, amount, currency, form.GetString("customer"), request);
            Apply(paymentIntent, form);
            if (form.GetObject("automatic_payment_methods") is { } automatic)
            {
                paymentIntent["automatic_payment_methods"] = new JsonObject
                {
                    ["allow_redirects"] = FormRequest.GetString(automatic, "allow_redirects") ?? "always",
                    ["enabled"] = FormRequest.GetBool(automatic, "enabled") ?? false,
                };
            }
            else if (form.GetStrings("payment_method_types") is { Count: > 0 } types)
            {
                paymentIntent["payment_method_types"] = new JsonArray([.. types.Select(t => (JsonNode?)t)]);
            }

            if (paymentMethod is not null)
            {
                paymentIntent["payment_method"] = paymentMethod["id"]?.DeepClone();
                paymentIntent["status"] = "requires_confirmation";
            }

            services.Publish("payment_intent.created", paymentIntent, request);
            if (form.GetBool("confirm") == true)
            {
                PaymentIntentConfirmation.Confirm(services, paymentIntent, IsOffSession(form), request);
            }

            return services.Render(paymentIntent, form);
        }
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        lock (services.State.Sync)
        {
            return services.Render(services.State.Require(id, "payment_intent"), form);
        }
    }

    private static async Task<IResult> GetChargeAsync(string id, HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        lock (services.State.Sync)
        {
            return services.Render(services.State.Require(id, "charge"), form);
        }
    }

    private static async Task<IResult> UpdateAsync(string id, HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        var request = RequestInfo.From(http);
        lock (services.State.Sync)
        {
            var paymentIntent = services.State.Require(id, "payment_intent");
            if ((string?)paymentIntent["status"] is "succeeded" or "canceled")
            {
                throw StripeApiException.UnexpectedState($"This PaymentIntent's status is {paymentIntent["status"]}; it can no longer be updated.");
            }

            var before = (JsonObject)paymentIntent.DeepClone();
            Apply(paymentIntent, form);
            if (form.GetLong("amount") is { } amount)
            {
                paymentIntent["amount"] = amount;
            }

            if (form.GetString("payment_method") is { } paymentMethodId)
            {
                paymentIntent["payment_method"] = PaymentMethodsApi.Resolve(services, paymentMethodId, "payment_method")["id"]?.DeepClone();
                paymentIntent["status"] = "requires_confirmation";
            }

            var previous = PreviousAttributes.Compute(before, paymentIntent);
            if (previous.Count > 0)
            {
                services.Publish("payment_intent.updated", paymentIntent, request, previous);
            }

            return services.Render(paymentIntent, form);
        }
    }

    private static async Task<IResult> ConfirmAsync(string id, HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        var request = RequestInfo.From(http);
        lock (services.State.Sync)
        {
            var paymentIntent = services.State.Require(id, "payment_intent");
            if (form.GetString("payment_method") is { } paymentMethodId)
            {
                var paymentMethod = PaymentMethodsApi.Resolve(services, paymentMethodId, "payment_method");
                if ((string?)paymentIntent["status"] is "requires_payment_method" or "requires_confirmation" or "requires_action")
                {
                    paymentIntent["payment_method"] = paymentMethod["id"]?.DeepClone();
                }
            }

            if (form.GetString("setup_future_usage") is { } usage)
            {
                paymentIntent["setup_future_usage"] = usage;
            }

            PaymentIntentConfirmation.Confirm(services, paymentIntent, IsOffSession(form), request);
            return services.Render(paymentIntent, form);
        }
    }

    private static async Task<IResult> CancelAsync(string id, HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        var request = RequestInfo.From(http);
        lock (services.State.Sync)
        {
            var paymentIntent = services.State.Require(id, "payment_intent");
            var status = (string?)paymentIntent["status"];
            if (status is "succeeded" or "canceled" or "processing")
            {
                throw StripeApiException.UnexpectedState(
                    $"You cannot cancel this PaymentIntent because it has a status of {status}. Only a PaymentIntent with one of the following statuses may be canceled: requires_payment_method, requires_capture, requires_confirmation, requires_action, processing.");
            }

            paymentIntent["status"] = "canceled";
            paymentIntent["canceled_at"] = services.Now;
            paymentIntent["cancellation_reason"] = form.GetString("cancellation_reason");
            paymentIntent["next_action"] = null;
            services.Publish("payment_intent.canceled", paymentIntent, request);
            return services.Render(paymentIntent, form);
        }
    }

    private static async Task<IResult> ListAsync(HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        var customerId = form.GetString("customer");
        lock (services.State.Sync)
        {
            var items = services.State.ListLive("payment_intent")
                .Where(pi => customerId is null || (string?)pi["customer"] == customerId)
                .Reverse();
            return StripeJson.Ok(StripeJson.List("/v1/payment_intents", items, form));
        }
    }

    private static void Apply(JsonObject paymentIntent, FormRequest form)
    {
        foreach (var field in new[] { "description", "receipt_email", "setup_future_usage", "statement_descriptor", "statement_descriptor_suffix", "transfer_group" })
        {
            if (form.Has(field))
            {
                paymentIntent[field] = form.GetString(field) is { Length: > 0 } value ? value : null;
            }
        }

        if (form.Has("metadata"))
        {
            Metadata.Apply(paymentIntent, form.Root["metadata"]);
        }
    }

    private static bool IsOffSession(FormRequest form) =>
        form.GetString("off_session") is { } value && value is not ("false" or "");
}
