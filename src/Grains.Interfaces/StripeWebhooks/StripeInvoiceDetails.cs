namespace Platform.Grains.Interfaces.StripeWebhooks;

/// <summary>
/// What an invoice event shows of Stripe's invoice besides <see cref="StripeEventData"/>'s common fields: its number,
/// totals, period, payment state and lines, enough to mirror it into our invoice list. Times are Unix seconds.
/// </summary>
[GenerateSerializer, Immutable, Alias("platform.stripe_invoice_details")]
public sealed record StripeInvoiceDetails
{
    [Id(0)] public string? Number { get; init; }

    [Id(1)] public long Subtotal { get; init; }

    [Id(2)] public long Total { get; init; }

    [Id(3)] public long AmountDue { get; init; }

    [Id(4)] public long AmountPaid { get; init; }

    [Id(5)] public long AmountRemaining { get; init; }

    [Id(6)] public int AttemptCount { get; init; }

    [Id(7)] public long? PeriodStart { get; init; }

    [Id(8)] public long? PeriodEnd { get; init; }

    [Id(9)] public string? BillingReason { get; init; }

    [Id(10)] public string? CollectionMethod { get; init; }

    [Id(11)] public long? DueDate { get; init; }

    [Id(12)] public long? NextPaymentAttempt { get; init; }

    [Id(13)] public long? FinalizedAt { get; init; }

    [Id(14)] public long? PaidAt { get; init; }

    [Id(15)] public long? VoidedAt { get; init; }

    [Id(16)] public long? MarkedUncollectibleAt { get; init; }

    [Id(17)] public IReadOnlyList<StripeInvoiceLine> Lines { get; init; } = [];
}
