using System.Text.Json.Nodes;
using Platform.StripeFake.PaymentMethods;
using Platform.StripeFake.Webhooks;
using Platform.StripeFake.Wire;

namespace Platform.StripeFake.Invoices;

/// <summary>
/// How an invoice moves: finalize (draft → open, numbered), a payment attempt (paid, or failed with the
/// next attempt scheduled), pay, void and mark uncollectible, each with Stripe's event and <c>invoice.updated</c>.
/// A paid invoice brings its past_due or unpaid subscription back to active.
/// </summary>
internal static class InvoiceCollection
{
    private const long RetryDelaySeconds = 3 * 86_400;

    public static void Finalize(FakeServices services, JsonObject invoice, RequestInfo request)
    {
        var before = (JsonObject)invoice.DeepClone();
        var now = services.Now;
        invoice["status"] = "open";
        invoice["number"] = "FAKE-" + ((string)invoice["id"]!)[^8..].ToUpperInvariant();
        invoice["effective_at"] = now;
        invoice["status_transitions"]!["finalized_at"] = now;
        Publish(services, "invoice.finalized", invoice, before, request);
    }

    /// <summary>One collection attempt; true when the invoice is paid (nothing due counts as paid).</summary>
    public static bool Attempt(FakeServices services, JsonObject invoice, bool succeeds, RequestInfo request)
    {
        var before = (JsonObject)invoice.DeepClone();
        var amount = StripeJson.Long(invoice["amount_due"]);
        if (amount > 0)
        {
            invoice["attempted"] = true;
            invoice["attempt_count"] = StripeJson.Long(invoice["attempt_count"]) + 1;
        }

        if (!succeeds)
        {
            invoice["next_payment_attempt"] = services.Now + RetryDelaySeconds;
            Publish(services, "invoice.payment_failed", invoice, before, request);
            return false;
        }

        MarkPaid(services, invoice, before, request);
        return true;
    }

    /// <summary><c>POST /v1/invoices/{id}/pay</c>: charges the given, the subscription's or the customer's default payment method.</summary>
    public static void Pay(FakeServices services, JsonObject invoice, string? paymentMethodId, bool paidOutOfBand, RequestInfo request)
    {
        RequireStatus(invoice, "pay", "open", "uncollectible");
        if (paidOutOfBand)
        {
            MarkPaid(services, invoice, (JsonObject)invoice.DeepClone(), request);
            return;
        }

        if (!Attempt(services, invoice, succeeds: !PaymentMethodDeclines(services, invoice, paymentMethodId), request))
        {
            throw new StripeApiException(402, "card_error", "Your card was declined.", "card_declined", null, "generic_decline");
        }
    }

    public static void Void(FakeServices services, JsonObject invoice, RequestInfo request)
    {
        RequireStatus(invoice, "void", "open", "uncollectible");
        var before = (JsonObject)invoice.DeepClone();
        invoice["status"] = "void";
        invoice["amount_remaining"] = 0;
        invoice["next_payment_attempt"] = null;
        invoice["status_transitions"]!["voided_at"] = services.Now;
        Publish(services, "invoice.voided", invoice, before, request);
    }

    public static void MarkUncollectible(FakeServices services, JsonObject invoice, RequestInfo request)
    {
        RequireStatus(invoice, "mark uncollectible", "open");
        var before = (JsonObject)invoice.DeepClone();
        invoice["status"] = "uncollectible";
        invoice["next_payment_attempt"] = null;
        invoice["status_transitions"]!["marked_uncollectible_at"] = services.Now;
        Publish(services, "invoice.marked_uncollectible", invoice, before, request);
    }

    /// <summary>Whether the payment method that would pay the invoice is a declining test card.</summary>
    public static bool PaymentMethodDeclines(FakeServices services, JsonObject invoice, string? paymentMethodId)
    {
        var subscription = services.State.Find((string?)invoice["subscription"]);
        paymentMethodId ??= (string?)subscription?["default_payment_method"]
            ?? (string?)services.State.Find((string?)invoice["customer"])?["invoice_settings"]?["default_payment_method"];
        return services.State.Find(paymentMethodId) is { } paymentMethod
            && PaymentMethodsApi.CardOf(services, paymentMethod).Behavior != CardBehavior.Succeeds;
    }

    private static void MarkPaid(FakeServices services, JsonObject invoice, JsonObject before, RequestInfo request)
    {
        var now = services.Now;
        invoice["status"] = "paid";
        invoice["amount_paid"] = invoice["amount_due"]?.DeepClone();
        invoice["amount_remaining"] = 0;
        invoice["next_payment_attempt"] = null;
        invoice["status_transitions"]!["paid_at"] = now;
        Publish(services, "invoice.paid", invoice, before, request);
        if (services.State.Find((string?)invoice["subscription"]) is { } subscription && (string?)subscription["status"] is "past_due" or "unpaid")
        {
            var subscriptionBefore = (JsonObject)subscription.DeepClone();
            subscription["status"] = "active";
            services.Publish("customer.subscription.updated", subscription, request, PreviousAttributes.Compute(subscriptionBefore, subscription));
        }
    }

    private static void Publish(FakeServices services, string type, JsonObject invoice, JsonObject before, RequestInfo request)
    {
        var previous = PreviousAttributes.Compute(before, invoice);
        services.Publish(type, invoice, request, previous);
        services.Publish("invoice.updated", invoice, request, previous);
    }

    private static void RequireStatus(JsonObject invoice, string action, params string[] allowed)
    {
        if (!allowed.Contains((string?)invoice["status"]))
        {
            throw StripeApiException.InvalidRequest(
                $"You can only {action} an invoice whose status is {string.Join(" or ", allowed)}; this invoice is {invoice["status"]}.", null, "invoice_not_editable");
        }
    }
}
