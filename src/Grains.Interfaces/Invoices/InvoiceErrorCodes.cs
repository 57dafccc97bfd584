namespace Platform.Grains.Interfaces.Invoices;

/// <summary>The stable <c>code</c> values of invoice refusals (PlatformException.Code); never renamed.</summary>
public static class InvoiceErrorCodes
{
    /// <summary>The move is not allowed from the invoice's status (e.g. void a paid invoice, finalize a void one).</summary>
    public const string InvoiceNotEditable = "invoice_not_editable";

    /// <summary>A move only Stripe makes on its own invoice (finalize, credit notes) was asked of a mirrored one (409).</summary>
    public const string InvoiceManagedByStripe = "invoice_managed_by_stripe";

    /// <summary>A usage event's timestamp falls in a period whose invoice is already finalized.</summary>
    public const string PeriodClosed = "period_closed";

    /// <summary>The draft names a different subscription or period than the invoice id was made for.</summary>
    public const string InvoiceDraftMismatch = "invoice_draft_mismatch";

    /// <summary>A credit note's amount is zero or negative.</summary>
    public const string CreditNoteAmountInvalid = "credit_note_amount_invalid";

    /// <summary>The credit note would credit more than is left of the invoice's total after its other credit notes.</summary>
    public const string CreditNoteExceedsInvoice = "credit_note_exceeds_invoice";

    /// <summary>The refund part of a credit note is more than the invoice's paid amount not yet refunded, or the invoice is not paid.</summary>
    public const string CreditNoteRefundExceedsPaid = "credit_note_refund_exceeds_paid";

    /// <summary>The credit note cannot be voided (already void, or its refund was made).</summary>
    public const string CreditNoteNotVoidable = "credit_note_not_voidable";

    /// <summary>The customer's currency is fixed by its first invoice; a charge, plan or grant in another is refused.</summary>
    public const string CurrencyMismatch = "currency_mismatch";

    /// <summary>The coupon is past its <c>redeem_by</c>, has reached <c>max_redemptions</c>, or was deleted.</summary>
    public const string CouponExpired = "coupon_expired";

    /// <summary>The coupon does not apply to the subscription's plan or currency.</summary>
    public const string CouponNotApplicable = "coupon_not_applicable";

    /// <summary>The invoice item is already on an invoice: it can no longer be changed or deleted.</summary>
    public const string InvoiceItemNotPending = "invoice_item_not_pending";

    /// <summary>Nothing to bill: the customer has no pending invoice items.</summary>
    public const string NothingToInvoice = "invoice_no_pending_items";
}
