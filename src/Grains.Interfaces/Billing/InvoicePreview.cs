namespace Platform.Grains.Interfaces.Billing;

/// <summary>What the customer's current period would be invoiced so far. Amounts in minor units of <see cref="Currency"/>.</summary>
[GenerateSerializer, Immutable, Alias("platform.invoice_preview")]
public sealed record InvoicePreview(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] string SubscriptionId,
    [property: Id(2)] string PlanId,
    [property: Id(3)] string Currency,
    [property: Id(4)] DateTimeOffset PeriodStart,
    [property: Id(5)] DateTimeOffset PeriodEnd,
    [property: Id(6)] IReadOnlyList<InvoiceLine> Lines,
    [property: Id(7)] long Total);
