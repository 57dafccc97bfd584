using System.Text.Json.Nodes;
using Platform.StripeFake.PaymentMethods;
using Platform.StripeFake.Webhooks;
using Platform.StripeFake.Wire;

namespace Platform.StripeFake.PaymentIntents;

/// <summary>
/// Stripe's PaymentIntent state machine for card payments: requires_payment_method → requires_confirmation
/// → (requires_action) → succeeded, with declines returning to requires_payment_method and a 402.
/// </summary>
internal static class PaymentIntentConfirmation
{
    public static void Confirm(FakeServices services, JsonObject paymentIntent, bool offSession, RequestInfo request)
    {
        var status = (string?)paymentIntent["status"];
        if (status is not ("requires_payment_method" or "requires_confirmation" or "requires_action"))
        {
            throw StripeApiException.UnexpectedState(
                $"You cannot confirm this PaymentIntent because it has a status of {status}.");
        }

        var paymentMethodId = (string?)paymentIntent["payment_method"]
            ?? throw StripeApiException.InvalidRequest(
                "You cannot confirm this PaymentIntent because it's missing a payment method. To confirm the PaymentIntent with "
                + $"{paymentIntent["customer"]}, specify a payment method attached to this customer along with the customer ID.",
                "payment_method",
                "payment_intent_unexpected_state");
        var paymentMethod = services.State.Require(paymentMethodId, "payment_method", "payment_method");
        var card = PaymentMethodsApi.CardOf(services, paymentMethod);
        switch (card.Behavior)
        {
            case CardBehavior.Declines:
                Decline(services, paymentIntent, paymentMethod, card.ErrorCode, card.DeclineCode!, card.DeclineMessage!, request);
                break;
            case CardBehavior.RequiresAuthentication when offSession:
                Decline(services, paymentIntent, paymentMethod, "authentication_required", "authentication_required",
                    "Your card was declined. This transaction requires authentication.", request);
                break;
            case CardBehavior.RequiresAuthentication:
                paymentIntent["status"] = "requires_action";
                paymentIntent["next_action"] = new JsonObject
                {
                    ["type"] = "use_stripe_sdk",
                    ["use_stripe_sdk"] = new JsonObject { ["type"] = "three_d_secure_redirect", ["stripe_js"] = "" },
                };
                services.Publish("payment_intent.requires_action", paymentIntent, request);
                break;
            default:
                Succeed(services, paymentIntent, paymentMethod, request);
                break;
        }
    }

    /// <summary>Completes (or fails) the customer's authentication of a payment in requires_action.</summary>
    public static void Authenticate(FakeServices services, JsonObject paymentIntent, bool succeeds, RequestInfo request)
    {
        if ((string?)paymentIntent["status"] != "requires_action")
        {
            throw StripeApiException.UnexpectedState(
                $"This PaymentIntent has a status of {paymentIntent["status"]}; only requires_action can be authenticated.");
        }

        var paymentMethod = services.State.Require((string)paymentIntent["payment_method"]!, "payment_method", "payment_method");
        paymentIntent["next_action"] = null;
        if (succeeds)
        {
            Succeed(services, paymentIntent, paymentMethod, request);
            return;
        }

        Decline(services, paymentIntent, paymentMethod, "payment_intent_authentication_failure", null,
            "The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.",
            request, throwError: false);
    }

    private static void Succeed(FakeServices services, JsonObject paymentIntent, JsonObject paymentMethod, RequestInfo request)
    {
        var charge = NewCharge(services, paymentIntent, paymentMethod, succeeded: true, null, null, null);
        paymentIntent["status"] = "succeeded";
        paymentIntent["amount_received"] = paymentIntent["amount"]?.DeepClone();
        paymentIntent["latest_charge"] = charge["id"]?.DeepClone();
        paymentIntent["last_payment_error"] = null;
        paymentIntent["next_action"] = null;
        if ((string?)paymentIntent["setup_future_usage"] is not null && (string?)paymentIntent["customer"] is { } customerId)
        {
            PaymentMethodsApi.Attach(services, paymentMethod, customerId, request);
        }

        services.Publish("charge.succeeded", charge, request);
        services.Publish("payment_intent.succeeded", paymentIntent, request);
    }

    private static void Decline(
        FakeServices services,
        JsonObject paymentIntent,
        JsonObject paymentMethod,
        string code,
        string? declineCode,
        string message,
        RequestInfo request,
        bool throwError = true)
    {
        var charge = NewCharge(services, paymentIntent, paymentMethod, succeeded: false, code, declineCode, message);
        var error = new StripeApiException(402, "card_error", message, code, null, declineCode);
        error.Extra["charge"] = charge["id"]?.DeepClone();
        error.Extra["payment_method"] = paymentMethod.DeepClone();
        var lastError = error.ToBody()["error"]!.DeepClone();
        paymentIntent["status"] = "requires_payment_method";
        paymentIntent["latest_charge"] = charge["id"]?.DeepClone();
        paymentIntent["last_payment_error"] = lastError;
        paymentIntent["payment_method"] = null;
        services.Publish("charge.failed", charge, request);
        services.Publish("payment_intent.payment_failed", paymentIntent, request);
        if (throwError)
        {
            error.Extra["payment_intent"] = paymentIntent.DeepClone();
            throw error;
        }
    }

    private static JsonObject NewCharge(
        FakeServices services,
        JsonObject paymentIntent,
        JsonObject paymentMethod,
        bool succeeded,
        string? failureCode,
        string? declineCode,
        string? failureMessage)
    {
        var card = paymentMethod["card"] as JsonObject ?? [];
        var amount = StripeJson.Long(paymentIntent["amount"]);
        var charge = new JsonObject
        {
            ["id"] = StripeJson.NewId("ch"),
            ["object"] = "charge",
            ["amount"] = amount,
            ["amount_captured"] = succeeded ? amount : 0,
            ["amount_refunded"] = 0,
            ["application"] = null,
            ["application_fee"] = null,
            ["application_fee_amount"] = null,
            ["balance_transaction"] = succeeded ? StripeJson.NewId("txn") : null,
            ["billing_details"] = paymentMethod["billing_details"]?.DeepClone(),
            ["calculated_statement_descriptor"] = "STRIPEFAKE",
            ["captured"] = succeeded,
            ["created"] = services.Now,
            ["currency"] = paymentIntent["currency"]?.DeepClone(),
            ["customer"] = paymentIntent["customer"]?.DeepClone(),
            ["description"] = paymentIntent["description"]?.DeepClone(),
            ["disputed"] = false,
            ["failure_balance_transaction"] = null,
            ["failure_code"] = failureCode,
            ["failure_message"] = failureMessage,
            ["fraud_details"] = new JsonObject(),
            ["livemode"] = false,
            ["metadata"] = paymentIntent["metadata"]?.DeepClone(),
            ["on_behalf_of"] = null,
            ["outcome"] = new JsonObject
            {
                ["network_status"] = succeeded ? "approved_by_network" : "declined_by_network",
                ["reason"] = declineCode,
                ["risk_level"] = "normal",
                ["seller_message"] = succeeded ? "Payment complete." : "The bank did not return any further details with this decline.",
                ["type"] = succeeded ? "authorized" : "issuer_declined",
            },
            ["paid"] = succeeded,
            ["payment_intent"] = paymentIntent["id"]?.DeepClone(),
            ["payment_method"] = paymentMethod["id"]?.DeepClone(),
            ["payment_method_details"] = new JsonObject
            {
                ["card"] = new JsonObject
                {
                    ["brand"] = card["brand"]?.DeepClone(),
                    ["country"] = card["country"]?.DeepClone(),
                    ["exp_month"] = card["exp_month"]?.DeepClone(),
                    ["exp_year"] = card["exp_year"]?.DeepClone(),
                    ["fingerprint"] = card["fingerprint"]?.DeepClone(),
                    ["funding"] = card["funding"]?.DeepClone(),
                    ["last4"] = card["last4"]?.DeepClone(),
                    ["network"] = card["brand"]?.DeepClone(),
                },
                ["type"] = "card",
            },
            ["receipt_email"] = paymentIntent["receipt_email"]?.DeepClone(),
            ["receipt_url"] = null,
            ["refunded"] = false,
            ["status"] = succeeded ? "succeeded" : "failed",
        };
        services.State.Add(charge, null);
        return charge;
    }
}
