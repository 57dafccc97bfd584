using Platform.Grains.Interfaces.Invoices;

namespace Platform.Grains.Invoices;

/// <summary>
/// Which status moves an invoice allows (Stripe's): draft → open (finalize; $0 → paid at once); open →
/// paid | void | uncollectible; uncollectible → paid | void. Void and uncollectible only while nothing was paid.
/// Paid and void are final. Pure, so the rules are unit-tested.
/// </summary>
public static class InvoiceTransitions
{
    public static bool CanPay(string status) => status is InvoiceStatuses.Open or InvoiceStatuses.Uncollectible;

    public static bool CanVoid(string status, long amountPaid) =>
        status is InvoiceStatuses.Open or InvoiceStatuses.Uncollectible && amountPaid == 0;

    public static bool CanMarkUncollectible(string status, long amountPaid) => status == InvoiceStatuses.Open && amountPaid == 0;

    public static bool IsFinal(string status) => status is InvoiceStatuses.Paid or InvoiceStatuses.Void;
}
