namespace Platform.Grains.Interfaces.Invoices;

/// <summary>The stable <c>code</c> values of invoice refusals (PlatformException.Code); never renamed.</summary>
public static class InvoiceErrorCodes
{
    /// <summary>The move is not allowed from the invoice's status (e.g. void a paid invoice, finalize a void one).</summary>
    public const string InvoiceNotEditable = "invoice_not_editable";

    /// <summary>A usage event's timestamp falls in a period whose invoice is already finalized.</summary>
    public const string PeriodClosed = "period_closed";

    /// <summary>The draft names a different subscription or period than the invoice id was made for.</summary>
    public const string InvoiceDraftMismatch = "invoice_draft_mismatch";
}
