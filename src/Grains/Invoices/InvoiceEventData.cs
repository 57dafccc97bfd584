using System.Text.Json.Nodes;
using Platform.Grains.Interfaces.Invoices;
using Platform.Grains.Interfaces.Plans;

namespace Platform.Grains.Invoices;

/// <summary>An invoice as the API shows it (InvoiceResource in src/Api), for the <c>data.object</c> of invoice events.</summary>
public static class InvoiceEventData
{
    public static string Render(InvoiceSnapshot i)
    {
        var lines = new JsonArray();
        foreach (var line in i.Lines)
        {
            var tiers = new JsonArray();
            foreach (var tier in line.Tiers)
            {
                tiers.Add(new JsonObject
                {
                    ["tier"] = tier.Index, ["up_to"] = tier.UpTo, ["units"] = tier.Units, ["unit_amount"] = tier.UnitAmount,
                    ["flat_amount"] = tier.FlatAmount, ["amount"] = tier.Amount,
                });
            }
            lines.Add(new JsonObject
            {
                ["object"] = "line_item", ["id"] = line.Id, ["type"] = line.Type, ["description"] = line.Description,
                ["metric"] = line.Metric, ["quantity"] = line.Quantity, ["amount"] = line.Amount, ["currency"] = i.Currency,
                ["pricing_model"] = ModelName(line.Model), ["tiers"] = tiers, ["discount_amount"] = line.DiscountAmount,
                ["tax_amounts"] = new JsonArray(line.Taxes.Select(x => (JsonNode)new JsonObject
                {
                    ["tax_rate"] = x.TaxRateId, ["inclusive"] = x.Inclusive, ["taxable_amount"] = x.TaxableAmount, ["amount"] = x.Amount,
                }).ToArray()),
                ["invoice_item"] = line.InvoiceItemId, ["proration"] = line.Proration,
                ["period"] = new JsonObject { ["start"] = line.PeriodStart.ToUnixTimeSeconds(), ["end"] = line.PeriodEnd.ToUnixTimeSeconds() },
            });
        }
        var t = i.StatusTransitions;
        return new JsonObject
        {
            ["object"] = "invoice",
            ["id"] = i.Id,
            ["customer"] = i.CustomerId,
            ["subscription"] = i.SubscriptionId,
            ["plan"] = i.PlanId,
            ["status"] = i.Status,
            ["number"] = i.Number,
            ["currency"] = i.Currency,
            ["period_start"] = i.PeriodStart.ToUnixTimeSeconds(),
            ["period_end"] = i.PeriodEnd.ToUnixTimeSeconds(),
            ["lines"] = new JsonObject { ["object"] = "list", ["url"] = $"/v1/invoices/{i.Id}/lines", ["has_more"] = false, ["data"] = lines },
            ["subtotal"] = i.Subtotal,
            ["total_discount_amount"] = i.Amounts?.TotalDiscount ?? 0,
            ["tax"] = i.Amounts?.Tax ?? 0,
            ["total_excluding_tax"] = i.Amounts?.TotalExcludingTax ?? i.Total,
            ["total"] = i.Total,
            ["credits_applied"] = i.Amounts?.CreditsApplied ?? 0,
            ["starting_balance"] = i.Amounts?.StartingBalance ?? 0,
            ["ending_balance"] = i.Amounts?.EndingBalance,
            ["pre_payment_credit_notes_amount"] = i.Amounts?.PrePaymentCreditNotes ?? 0,
            ["post_payment_credit_notes_amount"] = i.Amounts?.PostPaymentCreditNotes ?? 0,
            ["discount"] = i.Discount is { } d ? new JsonObject { ["coupon"] = d.CouponId, ["percent_off"] = d.PercentOff, ["amount_off"] = d.AmountOff } : null,
            ["amount_due"] = i.AmountDue,
            ["amount_paid"] = i.AmountPaid,
            ["amount_remaining"] = i.AmountRemaining,
            ["attempt_count"] = i.AttemptCount,
            ["next_payment_attempt"] = i.NextPaymentAttempt?.ToUnixTimeSeconds(),
            ["due_date"] = i.DueDate?.ToUnixTimeSeconds(),
            ["collection_method"] = i.CollectionMethod,
            ["status_transitions"] = new JsonObject
            {
                ["finalized_at"] = t.FinalizedAt?.ToUnixTimeSeconds(), ["paid_at"] = t.PaidAt?.ToUnixTimeSeconds(),
                ["voided_at"] = t.VoidedAt?.ToUnixTimeSeconds(), ["marked_uncollectible_at"] = t.MarkedUncollectibleAt?.ToUnixTimeSeconds(),
            },
            ["automatically_finalizes_at"] = i.AutomaticallyFinalizesAt?.ToUnixTimeSeconds(),
            ["payment_intent"] = i.PaymentIntentId,
            ["created"] = i.Created.ToUnixTimeSeconds(),
            ["metadata"] = new JsonObject(i.Metadata.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value))),
            ["managed_by"] = i.ManagedBy,
            ["stripe_invoice"] = i.StripeInvoiceId,
        }.ToJsonString();
    }

    /// <summary>A credit note as the API shows it (CreditNoteResource), for the <c>data.object</c> of credit note events.</summary>
    public static string Render(CreditNoteSnapshot n) => new JsonObject
    {
        ["object"] = "credit_note", ["id"] = n.Id, ["number"] = n.Number, ["invoice"] = n.InvoiceId, ["customer"] = n.CustomerId,
        ["amount"] = n.Amount, ["currency"] = n.Currency, ["pre_payment_amount"] = n.PrePaymentAmount, ["refund_amount"] = n.RefundAmount,
        ["credit_amount"] = n.CreditAmount, ["refund"] = n.RefundId, ["reason"] = n.Reason, ["memo"] = n.Memo, ["status"] = n.Status,
        ["created"] = n.Created.ToUnixTimeSeconds(), ["voided_at"] = n.VoidedAt?.ToUnixTimeSeconds(),
        ["metadata"] = new JsonObject(n.Metadata.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value))),
    }.ToJsonString();

    /// <summary>The wire name of a pricing model, as the plans API writes it.</summary>
    public static string? ModelName(PricingModel? model) => model switch
    {
        PricingModel.PerUnit => "per_unit",
        PricingModel.Package => "package",
        PricingModel.Graduated => "graduated",
        PricingModel.Volume => "volume",
        _ => null,
    };
}
