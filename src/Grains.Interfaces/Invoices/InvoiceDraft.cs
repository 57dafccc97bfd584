namespace Platform.Grains.Interfaces.Invoices;

/// <summary>
/// What a closed period's draft invoice is made from: the subscription, its plan at the period's close
/// and the period [<see cref="PeriodStart"/>, <see cref="PeriodEnd"/>). The invoice id derives from
/// (tenant, subscription, period start) (PlatformIds.InvoiceIdFor), so a replayed roll-over names the same
/// grain. <see cref="DaysUntilDue"/> is used only by <c>send_invoice</c>. A <see cref="Trial"/> period is
/// invoiced at zero (its usage shown, priced at zero), as the preview does. The flat fee is <see cref="PeriodPlanId"/>'s
/// (the plan when the period began; a change since is billed by its proration items), usage is priced on <see cref="PlanId"/>.
/// <see cref="Discount"/> is the coupon for this period, if any; <see cref="TaxRateIds"/> the subscription's own rates.
/// </summary>
[GenerateSerializer, Immutable, Alias("platform.invoice_draft")]
public sealed record InvoiceDraft(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] string SubscriptionId,
    [property: Id(2)] string PlanId,
    [property: Id(3)] DateTimeOffset PeriodStart,
    [property: Id(4)] DateTimeOffset PeriodEnd,
    [property: Id(5)] string CollectionMethod,
    [property: Id(6)] int? DaysUntilDue,
    [property: Id(7)] bool Trial = false,
    [property: Id(8)] Adjustments.InvoiceDiscount? Discount = null,
    [property: Id(9)] IReadOnlyList<string>? TaxRateIds = null,
    [property: Id(10)] string? PeriodPlanId = null,
    [property: Id(11)] string? Currency = null);

/// <summary>
/// A one-off invoice to make (POST /v1/invoices): the customer's pending invoice items in <see cref="Currency"/> (null:
/// the customer's currency, else its oldest pending item's), finalized at once when <see cref="AutoAdvance"/>.
/// <see cref="CreditGrantId"/> is the bought grant the invoice sells (effective once it is paid).
/// </summary>
[GenerateSerializer, Immutable, Alias("platform.one_off_invoice_draft")]
public sealed record OneOffInvoiceDraft(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] string? Currency,
    [property: Id(2)] string CollectionMethod,
    [property: Id(3)] int? DaysUntilDue,
    [property: Id(4)] bool AutoAdvance,
    [property: Id(5)] string? Description,
    [property: Id(6)] string? CreditGrantId = null,
    [property: Id(7)] IReadOnlyDictionary<string, string>? Metadata = null);
