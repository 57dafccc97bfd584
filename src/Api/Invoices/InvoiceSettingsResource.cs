using System.Text.Json.Serialization;
using Platform.Grains.Interfaces.Invoices;

namespace Platform.Api.Invoices;

/// <summary>A tenant's invoice settings: the number prefix and the number the next finalized invoice gets.</summary>
public sealed record InvoiceSettingsResource(string Tenant, string NumberPrefix, long NextNumber, string NextInvoiceNumber)
{
    [JsonPropertyOrder(-1)]
    public string Object => "invoice_settings";

    public static InvoiceSettingsResource From(string tenantId, InvoiceSettings s) =>
        new(tenantId, s.NumberPrefix, s.NextNumber, InvoiceNumbers.Format(s.NumberPrefix, s.NextNumber));
}
