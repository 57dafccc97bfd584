using Platform.Grains.Interfaces.Plans;

namespace Platform.Bench.Driver;

/// <summary>
/// The <c>invoices.pricing</c> column as the invoice grain writes it (Platform.Grains.Invoices.InvoicePricing through
/// InvoiceJson: System.Text.Json's general defaults, so the same property names and enum numbers), for seeded drafts.
/// </summary>
public sealed record SeededPricing(string Name, string Currency, long FlatAmount, IReadOnlyList<UsageCharge> Charges);
