using System.Text.Json.Serialization;
using Platform.Api.Common;
using Platform.Grains.Interfaces.Invoices;

namespace Platform.Api.Invoices;

/// <summary>
/// An invoice in Stripe's shape and words (docs/INVOICES.md). Money in minor units of <c>currency</c>; times in Unix
/// seconds. <c>number</c> is null while a draft; <c>automatically_finalizes_at</c> is set only on a draft.
/// </summary>
public sealed record InvoiceResource(
    string Id,
    string Customer,
    string Subscription,
    string Plan,
    string Status,
    string? Number,
    string Currency,
    long PeriodStart,
    long PeriodEnd,
    ListResource<InvoiceLineResource> Lines,
    long Subtotal,
    long Total,
    long AmountDue,
    long AmountPaid,
    long AmountRemaining,
    int AttemptCount,
    long? NextPaymentAttempt,
    long? DueDate,
    string CollectionMethod,
    InvoiceStatusTransitionsResource StatusTransitions,
    long? AutomaticallyFinalizesAt,
    string? PaymentIntent,
    long Created,
    IReadOnlyDictionary<string, string> Metadata)
{
    [JsonPropertyOrder(-1)]
    public string Object => "invoice";

    public static InvoiceResource From(InvoiceSnapshot i) => new(
        i.Id, i.CustomerId, i.SubscriptionId, i.PlanId, i.Status, i.Number, i.Currency,
        i.PeriodStart.ToUnixTimeSeconds(), i.PeriodEnd.ToUnixTimeSeconds(),
        new ListResource<InvoiceLineResource>($"/v1/invoices/{i.Id}/lines", false, i.Lines.Select(l => InvoiceLineResource.From(l, i.Currency)).ToArray()),
        i.Subtotal, i.Total, i.AmountDue, i.AmountPaid, i.AmountRemaining, i.AttemptCount,
        i.NextPaymentAttempt?.ToUnixTimeSeconds(), i.DueDate?.ToUnixTimeSeconds(), i.CollectionMethod,
        InvoiceStatusTransitionsResource.From(i.StatusTransitions), i.AutomaticallyFinalizesAt?.ToUnixTimeSeconds(),
        i.PaymentIntentId, UnixTime.Seconds(i.Created), i.Metadata);
}
