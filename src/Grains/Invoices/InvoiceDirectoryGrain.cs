using Orleans.Concurrency;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Invoices;

namespace Platform.Grains.Invoices;

/// <summary>A tenant's invoice lists, read from the database (rows the invoice grains committed).</summary>
[StatelessWorker]
public sealed class InvoiceDirectoryGrain(InvoiceReader reader) : Grain, IInvoiceDirectoryGrain
{
    public Task<Page<InvoiceSnapshot>> ListAsync(InvoiceQuery query) => reader.ListAsync(this.GetPrimaryKeyString(), query);

    public Task<Page<CreditNoteSnapshot>> ListCreditNotesAsync(string? invoiceId, string? customerId, PageRequest page) =>
        reader.CreditNotesPageAsync(this.GetPrimaryKeyString(), invoiceId, customerId, page);

    public Task<CreditNoteSnapshot?> GetCreditNoteAsync(string creditNoteId) => reader.CreditNoteAsync(this.GetPrimaryKeyString(), creditNoteId);
}
