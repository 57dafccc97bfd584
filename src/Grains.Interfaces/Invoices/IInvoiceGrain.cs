namespace Platform.Grains.Interfaces.Invoices;

/// <summary>
/// One invoice, keyed <c>ten_…/in_…</c> (PlatformIds.InvoiceKey): the only writer of its rows in the
/// database. Lifecycle (docs/INVOICES.md): a draft for a closed period, finalized after the grace period
/// (number, frozen lines and totals, status open; $0 is marked paid at once), then paid, void or
/// uncollectible. Errors are PlatformExceptions: NotFound for an unknown invoice, Conflict
/// (<c>invoice_not_editable</c>-style codes in ErrorCodes) for a move its status does not allow.
/// </summary>
[Alias("platform.invoice")]
public interface IInvoiceGrain : IGrainWithStringKey
{
    /// <summary>
    /// Makes the draft for the draft's period (lines from the plan and the usage log), or returns the invoice
    /// already made for it: idempotent, so a replayed roll-over never makes two.
    /// </summary>
    [Alias("create_draft")]
    Task<InvoiceSnapshot> CreateDraftAsync(InvoiceDraft draft);

    /// <summary>Null when there is no such invoice.</summary>
    [Alias("get")]
    Task<InvoiceSnapshot?> GetAsync();

    /// <summary>Draft → open now (number assigned, lines recomputed once more and frozen). Idempotent on a finalized invoice.</summary>
    [Alias("finalize")]
    Task<InvoiceSnapshot> FinalizeAsync();

    /// <summary>
    /// Records an attempt to pay: succeeded → paid (amount_paid, amount_remaining 0, paid_at, invoice.paid);
    /// failed → attempt_count + 1, next_payment_attempt (invoice.payment_failed); requires_action →
    /// invoice.payment_action_required. Idempotent by (payment intent, outcome, at).
    /// </summary>
    [Alias("record_payment_attempt")]
    Task<InvoiceSnapshot> RecordPaymentAttemptAsync(InvoicePaymentAttempt attempt);

    /// <summary>Open and unpaid → void. Idempotent on a void invoice.</summary>
    [Alias("void")]
    Task<InvoiceSnapshot> VoidAsync();

    /// <summary>Open and unpaid → uncollectible (still payable later). Idempotent.</summary>
    [Alias("mark_uncollectible")]
    Task<InvoiceSnapshot> MarkUncollectibleAsync();

    /// <summary>
    /// Does what is due at the customer's billing time now: finalization after the grace period, the staged
    /// outbox, a collection attempt whose time has come (dunning). True when the invoice moved. What the reminder
    /// does, on demand (a test clock's advance).
    /// </summary>
    [Alias("tick")]
    Task<bool> TickAsync();

    /// <summary>
    /// Pays an open (or uncollectible) invoice now with <paramref name="paymentMethodId"/>, or the customer's
    /// default when null, through the invoice's one PaymentIntent. A decline is recorded as an attempt and answered
    /// as the snapshot (its <c>attempt_count</c> grew; status still open); Conflict for a paid, void or draft invoice.
    /// </summary>
    [Alias("pay")]
    Task<InvoiceSnapshot> PayAsync(string? paymentMethodId);

    /// <summary>
    /// The customer has a new default payment method: an automatic invoice in dunning is retried at once. One-way:
    /// the caller (the customer, often called by the payment methods grain this retry needs) never waits on it.
    /// </summary>
    [Alias("retry_now"), Orleans.Concurrency.OneWay]
    Task RetryNowAsync();

    /// <summary>
    /// Makes a one-off invoice of the customer's pending invoice items (this grain's id is new, or derived from what it
    /// sells), finalized at once when the draft says <c>auto_advance</c>; idempotent: a second call answers the same
    /// invoice. <c>invoice_no_pending_items</c> when there is nothing to bill.
    /// </summary>
    [Alias("create_one_off")]
    Task<InvoiceSnapshot> CreateOneOffAsync(OneOffInvoiceDraft draft);

    /// <summary>
    /// Issues a credit note on this finalized invoice (idempotent by the draft's id). The sum of its credit notes never
    /// exceeds its total; on an open invoice it lowers amount_due, on a paid one it refunds and/or credits the balance.
    /// </summary>
    [Alias("create_credit_note")]
    Task<CreditNoteSnapshot> CreateCreditNoteAsync(CreditNoteDraft draft);

    /// <summary>Voids a credit note of this invoice (not one whose refund was made): what it took off comes back.</summary>
    [Alias("void_credit_note")]
    Task<CreditNoteSnapshot> VoidCreditNoteAsync(string creditNoteId);

    [Alias("credit_notes")]
    Task<IReadOnlyList<CreditNoteSnapshot>> CreditNotesAsync();

    /// <summary>
    /// Mirrors a Stripe invoice event into this invoice (keyed by PlatformIds.MirroredInvoiceIdFor): order-proof, so
    /// duplicates and late events leave one row in its newest state; the tenant's invoice events fire on each status
    /// reached. Stale for an older event, Ignored when it is not an invoice of ours.
    /// </summary>
    [Alias("mirror_stripe_event")]
    Task<StripeWebhooks.StripeEventOutcome> MirrorStripeEventAsync(StripeWebhooks.StripeEventData stripeEvent);
}
