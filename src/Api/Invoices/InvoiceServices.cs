namespace Platform.Api.Invoices;

/// <summary>What the invoice handlers need, bound with [AsParameters].</summary>
public sealed record InvoiceServices(IGrainFactory Grains, HttpContext Http);
