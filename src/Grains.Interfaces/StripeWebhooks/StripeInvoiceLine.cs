namespace Platform.Grains.Interfaces.StripeWebhooks;

/// <summary>One line of a Stripe invoice: its price, quantity (decimal, as <c>quantity_decimal</c>), amount and period.</summary>
[GenerateSerializer, Immutable, Alias("platform.stripe_invoice_line")]
public sealed record StripeInvoiceLine(
    [property: Id(0)] string Id,
    [property: Id(1)] string? PriceId,
    [property: Id(2)] string? Description,
    [property: Id(3)] decimal Quantity,
    [property: Id(4)] long Amount,
    [property: Id(5)] long? PeriodStart,
    [property: Id(6)] long? PeriodEnd);
