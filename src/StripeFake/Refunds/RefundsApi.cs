using System.Text.Json.Nodes;
using Platform.StripeFake.Webhooks;
using Platform.StripeFake.Wire;

namespace Platform.StripeFake.Refunds;

/// <summary><c>/v1/refunds</c>: refund all or part of what remains of a succeeded payment.</summary>
internal static class RefundsApi
{
    public static IEndpointRouteBuilder MapRefundsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/refunds").WithTags("Refunds");
        group.MapPost("/", CreateAsync).WithName("CreateRefund");
        group.MapGet("/", ListAsync).WithName("ListRefunds");
        group.MapGet("/{id}", GetAsync).WithName("GetRefund");
        return app;
    }

    private static async Task<IResult> CreateAsync(HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        var request = RequestInfo.From(http);
        lock (services.State.Sync)
        {
            var charge = FindCharge(services, form);
            var amount = StripeJson.Long(charge["amount"]);
            var refunded = StripeJson.Long(charge["amount_refunded"]);
            var remaining = amount - refunded;
            if (remaining <= 0)
            {
                throw StripeApiException.InvalidRequest($"Charge {charge["id"]} has already been refunded.", null, "charge_already_refunded");
            }

            var requested = form.GetLong("amount") ?? remaining;
            if (requested <= 0)
            {
                throw StripeApiException.InvalidRequest("Refund amount must be positive.", "amount");
            }

            if (requested > remaining)
            {
                throw StripeApiException.InvalidRequest(
                    $"Refund amount ({requested}) is greater than unrefunded amount on charge ({remaining})", "amount", "amount_too_large");
            }

            var refund = new JsonObject
            {
                ["id"] = StripeJson.NewId("re"),
                ["object"] = "refund",
                ["amount"] = requested,
                ["balance_transaction"] = StripeJson.NewId("txn"),
                ["charge"] = charge["id"]?.DeepClone(),
                ["created"] = services.Now,
                ["currency"] = charge["currency"]?.DeepClone(),
                ["destination_details"] = new JsonObject
                {
                    ["card"] = new JsonObject { ["reference_status"] = "pending", ["reference_type"] = "acquirer_reference_number", ["type"] = "refund" },
                    ["type"] = "card",
                },
                ["livemode"] = false,
                ["metadata"] = new JsonObject(),
                ["payment_intent"] = charge["payment_intent"]?.DeepClone(),
                ["reason"] = form.GetString("reason"),
                ["receipt_number"] = null,
                ["source_transfer_reversal"] = null,
                ["status"] = "succeeded",
                ["transfer_reversal"] = null,
            };
            if (form.Has("metadata"))
            {
                Metadata.Apply(refund, form.Root["metadata"]);
            }

            services.State.Add(refund, request.IdempotencyKey);
            var before = (JsonObject)charge.DeepClone();
            charge["amount_refunded"] = refunded + requested;
            charge["refunded"] = refunded + requested == amount;
            services.Publish("refund.created", refund, request);
            services.Publish("charge.refunded", charge, request, PreviousAttributes.Compute(before, charge));
            return services.Render(refund, form);
        }
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        lock (services.State.Sync)
        {
            return services.Render(services.State.Require(id, "refund"), form);
        }
    }

    private static async Task<IResult> ListAsync(HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        var paymentIntentId = form.GetString("payment_intent");
        var chargeId = form.GetString("charge");
        lock (services.State.Sync)
        {
            var items = services.State.ListLive("refund")
                .Where(r => paymentIntentId is null || (string?)r["payment_intent"] == paymentIntentId)
                .Where(r => chargeId is null || (string?)r["charge"] == chargeId)
                .Reverse();
            return StripeJson.Ok(StripeJson.List("/v1/refunds", items, form));
        }
    }

    private static JsonObject FindCharge(FakeServices services, FormRequest form)
    {
        if (form.GetString("charge") is { } chargeId)
        {
            var charge = services.State.Require(chargeId, "charge", "charge");
            return (string?)charge["status"] == "succeeded"
                ? charge
                : throw StripeApiException.InvalidRequest($"Charge {chargeId} has not succeeded and cannot be refunded.", "charge", "charge_not_refundable");
        }

        var paymentIntentId = form.GetString("payment_intent")
            ?? throw StripeApiException.InvalidRequest("One of the following params should be provided for this request: payment_intent or charge.", "payment_intent", "parameter_missing");
        var paymentIntent = services.State.Require(paymentIntentId, "payment_intent", "payment_intent");
        if ((string?)paymentIntent["status"] != "succeeded" || services.State.Find((string?)paymentIntent["latest_charge"]) is not { } latest)
        {
            throw StripeApiException.InvalidRequest(
                $"This PaymentIntent ({paymentIntentId}) does not have a successful charge to refund.", "payment_intent", "charge_not_refundable");
        }

        return latest;
    }
}
