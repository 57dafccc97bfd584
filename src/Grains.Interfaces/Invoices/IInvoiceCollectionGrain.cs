using Platform.Grains.Interfaces.StripeWebhooks;

namespace Platform.Grains.Interfaces.Invoices;

/// <summary>
/// Collection of one invoice at Stripe, keyed as the invoice (PlatformIds.InvoiceKey). PCI: it runs only on
/// pci silos and is the only place an invoice meets Stripe. An invoice has exactly one PaymentIntent, created
/// once with an idempotency key derived from the invoice; every attempt (the first, each dunning retry, a pay
/// with a new card) confirms that same PaymentIntent again, so no retry, silo kill or replayed webhook can
/// charge an invoice twice. The invoice grain (core) decides when to attempt (docs/INVOICES.md, dunning).
/// </summary>
[Alias("platform.invoice_collection")]
public interface IInvoiceCollectionGrain : IGrainWithStringKey
{
    /// <summary>
    /// One attempt to pay: the PaymentIntent is read first, so one that already succeeded (an attempt whose
    /// answer was lost) reports success without charging; otherwise it is confirmed off-session with
    /// <see cref="InvoiceToCollect.PaymentMethodId"/>. Returns the outcome; refusals of the card are outcomes,
    /// not exceptions. Stripe unreachable is a PlatformException (Unavailable): the caller tries again later.
    /// </summary>
    [Alias("attempt")]
    Task<InvoicePaymentAttempt> AttemptAsync(InvoiceToCollect invoice);

    /// <summary>
    /// A <c>payment_intent.*</c> event of this invoice's PaymentIntent: a success that came later (the
    /// customer completed 3-D Secure) is reported to the invoice. Failures were reported by the attempt itself.
    /// </summary>
    [Alias("apply_stripe_event")]
    Task<StripeEventOutcome> ApplyStripeEventAsync(StripeEventData stripeEvent);

    /// <summary>
    /// Refunds <paramref name="amount"/> of the invoice's paid PaymentIntent for a credit note: one refund per credit note
    /// at Stripe (its idempotency key derives from the note), so a retry returns the same refund. The Stripe refund id.
    /// </summary>
    [Alias("refund")]
    Task<string> RefundAsync(string customerId, string creditNoteId, long amount);
}
