namespace Platform.Api.Invoices;

/// <summary>The body of POST /v1/tenants/{id}/invoice_settings.</summary>
public sealed record SetInvoiceSettingsRequest(string? NumberPrefix);
