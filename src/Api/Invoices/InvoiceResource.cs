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
    string? Subscription,
    string? Plan,
    string Status,
    string? Number,
    string Currency,
    long PeriodStart,
    long PeriodEnd,
    ListResource<InvoiceLineResource> Lines,
    long Subtotal,
    long TotalDiscountAmount,
    long Tax,
    long TotalExcludingTax,
    long Total,
    long CreditsApplied,
    long StartingBalance,
    long? EndingBalance,
    long PrePaymentCreditNotesAmount,
    long PostPaymentCreditNotesAmount,
    InvoiceDiscountResource? Discount,
    IReadOnlyList<Adjustments.TaxRateResource> DefaultTaxRates,
    IReadOnlyList<CreditGrantUseResource> CreditGrantsApplied,
    string? Description,
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
    IReadOnlyDictionary<string, string> Metadata,
    string ManagedBy,
    string? StripeInvoice)
{
    [JsonPropertyOrder(-1)]
    public string Object => "invoice";

    public static InvoiceResource From(InvoiceSnapshot i) => new(
        i.Id, i.CustomerId, i.SubscriptionId, i.PlanId, i.Status, i.Number, i.Currency,
        i.PeriodStart.ToUnixTimeSeconds(), i.PeriodEnd.ToUnixTimeSeconds(),
        new ListResource<InvoiceLineResource>($"/v1/invoices/{i.Id}/lines", false, i.Lines.Select(l => InvoiceLineResource.From(l, i.Currency)).ToArray()),
        i.Subtotal, i.Amounts?.TotalDiscount ?? 0, i.Amounts?.Tax ?? 0, i.Amounts?.TotalExcludingTax ?? i.Total, i.Total,
        i.Amounts?.CreditsApplied ?? 0, i.Amounts?.StartingBalance ?? 0, i.Amounts?.EndingBalance, i.Amounts?.PrePaymentCreditNotes ?? 0,
        i.Amounts?.PostPaymentCreditNotes ?? 0, i.Discount is { } d ? new InvoiceDiscountResource(d.CouponId, d.PercentOff, d.AmountOff, d.AppliesToPlans) : null,
        (i.DefaultTaxRates ?? []).Select(Adjustments.TaxRateResource.From).ToArray(),
        (i.CreditGrantsUsed ?? []).Select(u => new CreditGrantUseResource(u.CreditGrantId, u.Amount)).ToArray(), i.Description, i.AmountDue, i.AmountPaid, i.AmountRemaining, i.AttemptCount,
        i.NextPaymentAttempt?.ToUnixTimeSeconds(), i.DueDate?.ToUnixTimeSeconds(), i.CollectionMethod,
        InvoiceStatusTransitionsResource.From(i.StatusTransitions), i.AutomaticallyFinalizesAt?.ToUnixTimeSeconds(),
        i.PaymentIntentId, UnixTime.Seconds(i.Created), i.Metadata, i.ManagedBy, i.StripeInvoiceId);
}

/// <summary>The coupon an invoice was discounted by, as its terms were.</summary>
public sealed record InvoiceDiscountResource(string Coupon, decimal? PercentOff, long? AmountOff, IReadOnlyList<string> AppliesTo);

/// <summary>How much of one credit grant an invoice spent.</summary>
public sealed record CreditGrantUseResource(string CreditGrant, long Amount);
