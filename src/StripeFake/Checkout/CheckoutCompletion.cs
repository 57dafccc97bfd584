using System.Text.Json.Nodes;
using Platform.StripeFake.Customers;
using Platform.StripeFake.PaymentIntents;
using Platform.StripeFake.PaymentMethods;
using Platform.StripeFake.SetupIntents;
using Platform.StripeFake.Subscriptions;
using Platform.StripeFake.Webhooks;
using Platform.StripeFake.Wire;

namespace Platform.StripeFake.Checkout;

/// <summary>What happens when the customer pays on the hosted page: the session's mode decides what is created.</summary>
internal static class CheckoutCompletion
{
    public static JsonObject Complete(FakeServices services, string sessionId, string? paymentMethodToken, RequestInfo request)
    {
        var session = services.State.Require(sessionId, "checkout.session");
        if ((string?)session["status"] != "open")
        {
            throw StripeApiException.InvalidRequest($"This Checkout Session is {session["status"]} and cannot be completed.", null, "checkout_session_unexpected_state");
        }

        var customerId = (string?)session["customer"];
        if (customerId is null)
        {
            var customer = CustomersApi.NewCustomer(services, (string?)session["customer_email"] ?? "checkout@example.com", null);
            services.State.Add(customer, null);
            services.Publish("customer.created", customer, request);
            customerId = (string)customer["id"]!;
            session["customer"] = customerId;
        }

        var paymentMethod = PaymentMethodsApi.Resolve(services, paymentMethodToken ?? "pm_card_visa", "payment_method");
        var paymentMethodId = (string)paymentMethod["id"]!;
        var extras = services.State.Internal(sessionId);
        var items = SubscriptionsApi.ItemsOf([.. (extras[CheckoutSessionsApi.LineItemsKey] as JsonArray ?? []).OfType<JsonObject>()]);
        switch ((string?)session["mode"])
        {
            case "subscription":
                {
                    PaymentMethodsApi.Attach(services, paymentMethod, customerId, request);
                    var data = extras[CheckoutSessionsApi.SubscriptionDataKey] as JsonObject;
                    var subscription = SubscriptionLifecycle.Create(
                        services,
                        customerId,
                        items,
                        data is null ? null : FormRequest.GetLong(data, "trial_period_days"),
                        data?["metadata"],
                        paymentMethodId,
                        request);
                    session["subscription"] = subscription["id"]?.DeepClone();
                    session["invoice"] = subscription["latest_invoice"]?.DeepClone();
                    session["payment_status"] = (string?)subscription["status"] == "trialing" ? "no_payment_required" : "paid";
                    break;
                }

            case "payment":
                {
                    var paymentIntent = PaymentIntentsApi.Create(services, StripeJson.Long(session["amount_total"]), (string)session["currency"]!, customerId, request);
                    paymentIntent["payment_method"] = paymentMethodId;
                    paymentIntent["metadata"] = session["metadata"]?.DeepClone();
                    session["payment_intent"] = paymentIntent["id"]?.DeepClone();
                    services.Publish("payment_intent.created", paymentIntent, request);
                    PaymentIntentConfirmation.Confirm(services, paymentIntent, offSession: false, request);
                    session["payment_status"] = "paid";
                    break;
                }

            default:
                {
                    var setupIntent = SetupIntentsApi.Create(services, customerId, ["card"], "off_session", request);
                    SetupIntentsApi.Confirm(services, setupIntent, paymentMethodId, request);
                    session["setup_intent"] = setupIntent["id"]?.DeepClone();
                    break;
                }
        }

        session["status"] = "complete";
        session["url"] = null;
        session["customer_details"] = new JsonObject
        {
            ["address"] = null,
            ["email"] = (string?)session["customer_email"] ?? (string?)services.State.Find(customerId)?["email"],
            ["name"] = null,
            ["phone"] = null,
            ["tax_exempt"] = "none",
            ["tax_ids"] = new JsonArray(),
        };
        services.Publish("checkout.session.completed", session, request);
        return session;
    }
}
