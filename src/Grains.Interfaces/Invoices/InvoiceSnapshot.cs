namespace Platform.Grains.Interfaces.Invoices;

/// <summary>
/// An invoice in Stripe's shape and words. Money in minor units of <see cref="Currency"/>; times UTC.
/// <see cref="Number"/> is null until finalization (per tenant, gapless, e.g. <c>ACME-000042</c>).
/// <see cref="Status"/> is one of <see cref="InvoiceStatuses"/>, <see cref="CollectionMethod"/> one of
/// <see cref="CollectionMethods"/>. <see cref="PaymentIntentId"/> is the one PaymentIntent the collection
/// side charges for this invoice, once known. <see cref="ManagedBy"/> is <c>platform</c> (billed here) or <c>stripe</c>
/// (Stripe's invoice of a Stripe-managed subscription, mirrored from its events; <see cref="StripeInvoiceId"/> is its id there).
/// </summary>
[GenerateSerializer, Immutable, Alias("platform.invoice_snapshot")]
public sealed record InvoiceSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] string TenantId,
    [property: Id(2)] string CustomerId,
    [property: Id(3)] string? SubscriptionId,
    [property: Id(4)] string? PlanId,
    [property: Id(5)] string Status,
    [property: Id(6)] string? Number,
    [property: Id(7)] string Currency,
    [property: Id(8)] DateTimeOffset PeriodStart,
    [property: Id(9)] DateTimeOffset PeriodEnd,
    [property: Id(10)] IReadOnlyList<InvoiceLineItem> Lines,
    [property: Id(11)] long Subtotal,
    [property: Id(12)] long Total,
    [property: Id(13)] long AmountDue,
    [property: Id(14)] long AmountPaid,
    [property: Id(15)] long AmountRemaining,
    [property: Id(16)] int AttemptCount,
    [property: Id(17)] DateTimeOffset? NextPaymentAttempt,
    [property: Id(18)] DateTimeOffset? DueDate,
    [property: Id(19)] string CollectionMethod,
    [property: Id(20)] InvoiceStatusTransitions StatusTransitions,
    [property: Id(21)] DateTimeOffset Created,
    [property: Id(22)] IReadOnlyDictionary<string, string> Metadata,
    [property: Id(23)] string? PaymentIntentId,
    [property: Id(24)] DateTimeOffset? AutomaticallyFinalizesAt,
    [property: Id(25)] InvoiceAmounts? Amounts = null,
    [property: Id(26)] Adjustments.InvoiceDiscount? Discount = null,
    [property: Id(27)] IReadOnlyList<Adjustments.TaxRateSnapshot>? DefaultTaxRates = null,
    [property: Id(28)] IReadOnlyList<Adjustments.CreditGrantUse>? CreditGrantsUsed = null,
    [property: Id(29)] string? Description = null,
    [property: Id(30)] string ManagedBy = InvoiceManagers.Platform,
    [property: Id(31)] string? StripeInvoiceId = null);

/// <summary>
/// An invoice's figures besides subtotal, total and amount due (docs/INVOICES.md "Adjustments"): discount, tax (inclusive
/// and exclusive), credit grants applied, the customer's balance before and after (negative is credit), and what credit
/// notes took off before and after payment. <c>amount_due = total − credits_applied + starting_balance − ending_balance</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("platform.invoice_amounts")]
public sealed record InvoiceAmounts(
    [property: Id(0)] long TotalDiscount,
    [property: Id(1)] long Tax,
    [property: Id(2)] long TotalExcludingTax,
    [property: Id(3)] long CreditsApplied,
    [property: Id(4)] long StartingBalance,
    [property: Id(5)] long? EndingBalance,
    [property: Id(6)] long PrePaymentCreditNotes,
    [property: Id(7)] long PostPaymentCreditNotes);
