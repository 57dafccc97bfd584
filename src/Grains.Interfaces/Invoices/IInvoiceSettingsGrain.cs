namespace Platform.Grains.Interfaces.Invoices;

/// <summary>A tenant's invoice settings (the number prefix), keyed by the tenant id; changes are audited.</summary>
[Alias("platform.invoice_settings_grain")]
public interface IInvoiceSettingsGrain : IGrainWithStringKey
{
    [Alias("get")]
    Task<InvoiceSettings> GetAsync();

    /// <summary>Numbers finalized from now on carry <paramref name="numberPrefix"/>; the count goes on (no gap, no restart).</summary>
    [Alias("set_number_prefix")]
    Task<InvoiceSettings> SetNumberPrefixAsync(string numberPrefix);
}
