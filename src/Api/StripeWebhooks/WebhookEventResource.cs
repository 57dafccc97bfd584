using System.Text.Json.Serialization;
using Platform.Api.Common;
using Platform.Grains.Interfaces.StripeWebhooks;

namespace Platform.Api.StripeWebhooks;

/// <summary>A received Stripe event as operators see it: its processing state and the reduced event (no card data).</summary>
public sealed record WebhookEventResource(
    string Id,
    string Type,
    long Created,
    bool Livemode,
    string? ApiVersion,
    string Status,
    string? Outcome,
    int Attempts,
    string? LastError,
    long Received,
    long? Processed,
    long? NextAttempt,
    WebhookEventDataResource Data)
{
    [JsonPropertyOrder(-1)]
    public string Object => "webhook_event";

    public static WebhookEventResource From(StripeWebhookEventSnapshot snapshot)
    {
        var e = snapshot.Event;
        return new(e.Id, e.Type, e.Created, e.Livemode, e.ApiVersion, StatusName(snapshot.Status)!, OutcomeName(snapshot.Outcome),
            snapshot.Attempts, snapshot.LastError, UnixTime.Seconds(snapshot.Received),
            snapshot.Processed is { } processed ? UnixTime.Seconds(processed) : null,
            snapshot.NextAttempt is { } next ? UnixTime.Seconds(next) : null,
            new WebhookEventDataResource(new WebhookEventObjectResource(e.ObjectType, e.ObjectId, e.Status, e.Customer, e.Metadata,
                e.Amount, e.AmountRefunded, e.Currency, e.PaymentIntent, e.PaymentMethod, e.Subscription, e.LatestInvoice,
                e.ObjectCreated, e.CurrentPeriodStart, e.CurrentPeriodEnd, e.CancelAtPeriodEnd, e.CanceledAt, e.TrialEnd, e.EndedAt,
                e.Items.Select(i => new WebhookEventItemResource(i.Id, i.PriceId, i.Quantity)).ToArray(), e.CardBrand, e.CardLast4)));
    }

    public static string? StatusName(StripeWebhookEventStatus? status) => status switch
    {
        StripeWebhookEventStatus.Pending => "pending",
        StripeWebhookEventStatus.Processed => "processed",
        StripeWebhookEventStatus.Failed => "failed",
        _ => null,
    };

    public static StripeWebhookEventStatus? ParseStatus(string? status) => status switch
    {
        "pending" => StripeWebhookEventStatus.Pending,
        "processed" => StripeWebhookEventStatus.Processed,
        "failed" => StripeWebhookEventStatus.Failed,
        _ => null,
    };

    public static string? OutcomeName(StripeEventOutcome? outcome) => outcome switch
    {
        StripeEventOutcome.Applied => "applied",
        StripeEventOutcome.Stale => "stale",
        StripeEventOutcome.Ignored => "ignored",
        _ => null,
    };
}

public sealed record WebhookEventDataResource(WebhookEventObjectResource Object);

/// <summary>What was kept of the event's <c>data.object</c>.</summary>
public sealed record WebhookEventObjectResource(
    [property: JsonPropertyName("object")] string? ObjectType,
    string? Id,
    string? Status,
    string? Customer,
    IReadOnlyDictionary<string, string> Metadata,
    long? Amount,
    long? AmountRefunded,
    string? Currency,
    string? PaymentIntent,
    string? PaymentMethod,
    string? Subscription,
    string? LatestInvoice,
    long? Created,
    long? CurrentPeriodStart,
    long? CurrentPeriodEnd,
    bool? CancelAtPeriodEnd,
    long? CanceledAt,
    long? TrialEnd,
    long? EndedAt,
    IReadOnlyList<WebhookEventItemResource> Items,
    string? CardBrand,
    string? CardLast4);

public sealed record WebhookEventItemResource(string Id, string? Price, long Quantity);
