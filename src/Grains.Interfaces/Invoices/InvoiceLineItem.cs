using Platform.Grains.Interfaces.Plans;

namespace Platform.Grains.Interfaces.Invoices;

/// <summary>
/// One line of an invoice (Stripe's <c>line_item</c>): the plan's flat fee (<see cref="Type"/>
/// <c>subscription</c>, <see cref="Metric"/> null, quantity 1) or one metric's usage (<c>usage</c>) with the
/// quantity summed from the usage log over the line's period, the pricing model and the tiers it used.
/// <see cref="Amount"/> in minor units; the invoice's subtotal is the sum of its lines' amounts. A one-off charge or a
/// proration is an <c>invoiceitem</c> line (<see cref="InvoiceItemId"/>; a proration credit is negative).
/// <see cref="DiscountAmount"/> is this line's share of the invoice's discount, <see cref="TaxAmounts"/> its taxes
/// (docs/INVOICES.md, "Rounding"); <see cref="PlanId"/> is the plan the line is for (a coupon's <c>applies_to</c>).
/// </summary>
[GenerateSerializer, Immutable, Alias("platform.invoice_line_item")]
public sealed record InvoiceLineItem(
    [property: Id(0)] string Id,
    [property: Id(1)] string Type,
    [property: Id(2)] string Description,
    [property: Id(3)] string? Metric,
    [property: Id(4)] decimal Quantity,
    [property: Id(5)] long Amount,
    [property: Id(6)] PricingModel? Model,
    [property: Id(7)] IReadOnlyList<InvoiceLineTier> Tiers,
    [property: Id(8)] DateTimeOffset PeriodStart,
    [property: Id(9)] DateTimeOffset PeriodEnd,
    [property: Id(10)] long DiscountAmount = 0,
    [property: Id(11)] IReadOnlyList<InvoiceLineTax>? TaxAmounts = null,
    [property: Id(12)] string? InvoiceItemId = null,
    [property: Id(13)] bool Proration = false,
    [property: Id(14)] string? PlanId = null)
{
    public IReadOnlyList<InvoiceLineTax> Taxes => TaxAmounts ?? [];
}
