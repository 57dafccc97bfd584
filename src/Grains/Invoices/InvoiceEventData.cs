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
                ["pricing_model"] = ModelName(line.Model), ["tiers"] = tiers,
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
            ["total"] = i.Total,
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
        }.ToJsonString();
    }

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
