using Platform.Grains.Interfaces.Adjustments;

namespace Platform.Grains.Invoices;

/// <summary>
/// What an invoice's totals were computed from besides its lines (column <c>adjustments</c>): the coupon's terms, the
/// default tax rates as they were, the customer's tax status, the grants spent, and the grant a one-off invoice sells.
/// </summary>
public sealed record InvoiceTerms
{
    public InvoiceDiscount? Discount { get; init; }
    public IReadOnlyList<TaxRateSnapshot> DefaultTaxRates { get; init; } = [];
    public string TaxExempt { get; init; } = TaxExemptions.None;
    public IReadOnlyList<CreditGrantUse> GrantsUsed { get; init; } = [];
    public string? CreditGrantId { get; init; }
}
