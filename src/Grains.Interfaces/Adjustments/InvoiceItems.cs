namespace Platform.Grains.Interfaces.Adjustments;

/// <summary>
/// A validated invoice item to create (a one-off charge, or a proration a plan change makes): pending until the
/// customer's next invoice takes it. <see cref="TaxRateIds"/> override the invoice's default rates for this line.
/// </summary>
[GenerateSerializer, Immutable, Alias("platform.invoice_item_draft")]
public sealed record InvoiceItemDraft(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] long Amount,
    [property: Id(2)] string Currency,
    [property: Id(3)] string Description,
    [property: Id(4)] IReadOnlyDictionary<string, string> Metadata,
    [property: Id(5)] IReadOnlyList<string> TaxRateIds,
    [property: Id(6)] string? SubscriptionId = null,
    [property: Id(7)] string? PlanId = null,
    [property: Id(8)] bool Proration = false,
    [property: Id(9)] DateTimeOffset? PeriodStart = null,
    [property: Id(10)] DateTimeOffset? PeriodEnd = null,
    [property: Id(11)] string? Id = null);

/// <summary>An invoice item (<c>ii_…</c>); <see cref="InvoiceId"/> is null while pending.</summary>
[GenerateSerializer, Immutable, Alias("platform.invoice_item")]
public sealed record InvoiceItemSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] string CustomerId,
    [property: Id(2)] string? SubscriptionId,
    [property: Id(3)] string? PlanId,
    [property: Id(4)] long Amount,
    [property: Id(5)] string Currency,
    [property: Id(6)] string Description,
    [property: Id(7)] bool Proration,
    [property: Id(8)] DateTimeOffset PeriodStart,
    [property: Id(9)] DateTimeOffset PeriodEnd,
    [property: Id(10)] IReadOnlyList<TaxRateSnapshot> TaxRates,
    [property: Id(11)] IReadOnlyDictionary<string, string> Metadata,
    [property: Id(12)] string? InvoiceId,
    [property: Id(13)] DateTimeOffset Created);
