using Platform.Grains.Interfaces.Common;

namespace Platform.Grains.Interfaces.Invoices;

/// <summary>Lists one tenant's invoices from the database (no invoice grain is woken); keyed by the tenant id.</summary>
[Alias("platform.invoice_directory")]
public interface IInvoiceDirectoryGrain : IGrainWithStringKey
{
    [Alias("list")]
    Task<Page<InvoiceSnapshot>> ListAsync(InvoiceQuery query);

    /// <summary>Credit notes newest first, of one invoice or customer when given.</summary>
    [Alias("list_credit_notes")]
    Task<Page<CreditNoteSnapshot>> ListCreditNotesAsync(string? invoiceId, string? customerId, PageRequest page);

    [Alias("get_credit_note")]
    Task<CreditNoteSnapshot?> GetCreditNoteAsync(string creditNoteId);
}
