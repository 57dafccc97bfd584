using Platform.Grains.Interfaces.Invoices;

namespace Platform.Grains.Invoices;

/// <summary>
/// What a credit note may credit (pure): at most the invoice's total less what its credit notes (not void) already
/// credit, so the credit notes of an invoice never add up to more than its total; each credits at least one minor unit.
/// </summary>
public static class CreditNoteRules
{
    public static long Creditable(long total, long alreadyCredited) => Math.Max(total - alreadyCredited, 0);

    /// <summary>The refusal's code for a credit note of <paramref name="amount"/>, or null when it may be issued.</summary>
    public static string? Refusal(long amount, long total, long alreadyCredited) =>
        amount <= 0 ? InvoiceErrorCodes.CreditNoteAmountInvalid
        : amount > Creditable(total, alreadyCredited) ? InvoiceErrorCodes.CreditNoteExceedsInvoice
        : null;
}
