using System.Text.Json.Nodes;
using Platform.StripeFake.Webhooks;
using Platform.StripeFake.Wire;

namespace Platform.StripeFake.Invoices;

/// <summary>
/// A subscription's invoice in Stripe's shape (<c>../shared/stripe</c>), created from its lines, finalized and
/// collected at once: <c>invoice.created</c>, <c>invoice.finalized</c>, then <c>invoice.paid</c> or
/// <c>invoice.payment_failed</c>, each followed by <c>invoice.updated</c> with the previous attributes.
/// </summary>
internal static class SubscriptionInvoices
{
    /// <summary>Creates, finalizes and pays (or fails to pay) the invoice; true when paid (or nothing was due).</summary>
    public static bool Bill(
        FakeServices services,
        JsonObject subscription,
        IReadOnlyList<JsonObject> lines,
        string reason,
        (long Start, long End) period,
        RequestInfo request,
        bool forcePaid = false,
        bool forceFailed = false)
    {
        var invoice = New(services, subscription, lines, reason, period);
        services.State.Add(invoice, null);
        subscription["latest_invoice"] = invoice["id"]?.DeepClone();
        services.Publish("invoice.created", invoice, request);
        InvoiceCollection.Finalize(services, invoice, request);
        var amount = StripeJson.Long(invoice["amount_due"]);
        var failed = forceFailed || (!forcePaid && amount > 0 && InvoiceCollection.PaymentMethodDeclines(services, invoice, null));
        return InvoiceCollection.Attempt(services, invoice, succeeds: !failed, request);
    }

    private static JsonObject New(FakeServices services, JsonObject subscription, IReadOnlyList<JsonObject> lines, string reason, (long Start, long End) period)
    {
        var now = services.Now;
        var id = StripeJson.NewId("in");
        var total = lines.Sum(l => StripeJson.Long(l["amount"]));
        var data = new JsonArray();
        foreach (var line in lines)
        {
            line["invoice"] = id;
            data.Add(line);
        }

        var customer = services.State.Find((string?)subscription["customer"]);
        return new JsonObject
        {
            ["id"] = id,
            ["object"] = "invoice",
            ["account_country"] = "US",
            ["account_name"] = "Stripe fake",
            ["amount_due"] = total,
            ["amount_overpaid"] = 0,
            ["amount_paid"] = 0,
            ["amount_remaining"] = total,
            ["amount_shipping"] = 0,
            ["application"] = null,
            ["attempt_count"] = 0,
            ["attempted"] = false,
            ["auto_advance"] = true,
            ["automatic_tax"] = new JsonObject { ["disabled_reason"] = null, ["enabled"] = false, ["liability"] = null, ["provider"] = null, ["status"] = null },
            ["automatically_finalizes_at"] = null,
            ["billing_reason"] = reason,
            ["collection_method"] = (string?)subscription["collection_method"] ?? "charge_automatically",
            ["created"] = now,
            ["currency"] = subscription["currency"]?.DeepClone(),
            ["customer"] = subscription["customer"]?.DeepClone(),
            ["customer_email"] = customer?["email"]?.DeepClone(),
            ["customer_name"] = customer?["name"]?.DeepClone(),
            ["default_payment_method"] = null,
            ["description"] = null,
            ["discounts"] = new JsonArray(),
            ["due_date"] = null,
            ["effective_at"] = null,
            ["ending_balance"] = null,
            ["hosted_invoice_url"] = null,
            ["invoice_pdf"] = null,
            ["issuer"] = new JsonObject { ["type"] = "self" },
            ["last_finalization_error"] = null,
            ["lines"] = new JsonObject { ["object"] = "list", ["data"] = data, ["has_more"] = false, ["total_count"] = data.Count, ["url"] = $"/v1/invoices/{id}/lines" },
            ["livemode"] = false,
            ["metadata"] = new JsonObject(),
            ["next_payment_attempt"] = null,
            ["number"] = null,
            ["parent"] = new JsonObject
            {
                ["quote_details"] = null,
                ["subscription_details"] = new JsonObject { ["metadata"] = subscription["metadata"]?.DeepClone(), ["subscription"] = subscription["id"]?.DeepClone() },
                ["type"] = "subscription_details",
            },
            ["period_end"] = period.End,
            ["period_start"] = period.Start,
            ["post_payment_credit_notes_amount"] = 0,
            ["pre_payment_credit_notes_amount"] = 0,
            ["receipt_number"] = null,
            ["starting_balance"] = 0,
            ["statement_descriptor"] = null,
            ["status"] = "draft",
            ["status_transitions"] = new JsonObject { ["finalized_at"] = null, ["marked_uncollectible_at"] = null, ["paid_at"] = null, ["voided_at"] = null },
            ["subscription"] = subscription["id"]?.DeepClone(),
            ["subtotal"] = total,
            ["subtotal_excluding_tax"] = total,
            ["test_clock"] = null,
            ["total"] = total,
            ["total_discount_amounts"] = new JsonArray(),
            ["total_excluding_tax"] = total,
            ["total_pretax_credit_amounts"] = new JsonArray(),
            ["total_taxes"] = new JsonArray(),
            ["webhooks_delivered_at"] = null,
        };
    }
}
