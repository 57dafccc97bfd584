namespace Platform.Grains.Interfaces.Invoices;

/// <summary>
/// Collection of one invoice (charging, dunning), keyed as the invoice (PlatformIds.InvoiceKey). The invoice
/// grain calls <see cref="StartAsync"/> after finalizing a <c>charge_automatically</c> invoice with an amount
/// due, and again after a failure until it succeeds, so it must be idempotent per invoice. Implemented by the
/// collection side (docs/INVOICES.md), which reports each attempt back through
/// <see cref="IInvoiceGrain.RecordPaymentAttemptAsync"/>.
/// </summary>
[Alias("platform.invoice_collection")]
public interface IInvoiceCollectionGrain : IGrainWithStringKey
{
    [Alias("start")]
    Task StartAsync(InvoiceToCollect invoice);
}
