namespace Platform.Grains.Interfaces.Invoices;

/// <summary>
/// One tax rate's amount on one invoice line (Stripe's <c>tax_amounts</c> entry): <see cref="TaxableAmount"/> is the
/// line's amount after its discount and without this tax; <see cref="Amount"/> the tax, both in minor units. An
/// <see cref="Inclusive"/> tax is already inside the line's amount (split out of it); an exclusive one is added to the total.
/// </summary>
[GenerateSerializer, Immutable, Alias("platform.invoice_line_tax")]
public sealed record InvoiceLineTax(
    [property: Id(0)] string TaxRateId,
    [property: Id(1)] decimal Percentage,
    [property: Id(2)] bool Inclusive,
    [property: Id(3)] long TaxableAmount,
    [property: Id(4)] long Amount);
