using System.Text.Json.Serialization;
using Platform.Grains.Interfaces.Invoices;
using Platform.Grains.Interfaces.Plans;

namespace Platform.Api.Invoices;

/// <summary>An invoice line (Stripe's <c>line_item</c>): the flat fee (<c>subscription</c>) or one metric's usage (<c>usage</c>).</summary>
public sealed record InvoiceLineResource(
    string Id, string Type, string Description, string? Metric, decimal Quantity, long Amount, string Currency,
    string? PricingModel, IReadOnlyList<InvoiceLineTierResource> Tiers, InvoicePeriodResource Period, long DiscountAmount,
    IReadOnlyList<InvoiceLineTaxResource> TaxAmounts, string? InvoiceItem, bool Proration, string? Plan)
{
    [JsonPropertyOrder(-1)]
    public string Object => "line_item";

    public static InvoiceLineResource From(InvoiceLineItem l, string currency) => new(
        l.Id, l.Type, l.Description, l.Metric, l.Quantity, l.Amount, currency, ModelName(l.Model),
        l.Tiers.Select(InvoiceLineTierResource.From).ToArray(), new InvoicePeriodResource(l.PeriodStart.ToUnixTimeSeconds(), l.PeriodEnd.ToUnixTimeSeconds()),
        l.DiscountAmount, l.Taxes.Select(t => new InvoiceLineTaxResource(t.TaxRateId, t.Percentage, t.Inclusive, t.TaxableAmount, t.Amount)).ToArray(),
        l.InvoiceItemId, l.Proration, l.PlanId);

    private static string? ModelName(PricingModel? model) => model is { } m ? Plans.PlanWire.Model(m) : null;
}

/// <summary>One tax on an invoice line (Stripe's <c>tax_amounts</c> entry): inclusive taxes are inside the line's amount.</summary>
public sealed record InvoiceLineTaxResource(string TaxRate, decimal Percentage, bool Inclusive, long TaxableAmount, long Amount);
