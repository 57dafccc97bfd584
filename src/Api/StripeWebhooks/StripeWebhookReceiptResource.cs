using System.Text.Json.Serialization;
using Platform.Grains.Interfaces.StripeWebhooks;

namespace Platform.Api.StripeWebhooks;

/// <summary>
/// The answer to Stripe: the event is recorded; <c>duplicate</c> when it was already. A new event is
/// <c>status: "pending"</c> with no <c>outcome</c>: it is applied right after the answer (see GET /v1/webhook_events/{id}).
/// </summary>
public sealed record StripeWebhookReceiptResource(string Id, string Type, bool Duplicate, string? Status, string? Outcome)
{
    [JsonPropertyOrder(-1)]
    public string Object => "webhook_receipt";

    public static StripeWebhookReceiptResource From(StripeWebhookReceipt receipt) =>
        new(receipt.EventId, receipt.Type, receipt.Duplicate, WebhookEventResource.StatusName(receipt.Status), WebhookEventResource.OutcomeName(receipt.Outcome));
}
