using Platform.Grains.Interfaces.StripeWebhooks;

namespace Platform.Grains.Interfaces.Payments;

/// <summary>
/// One payment, keyed <c>ten_…/pay_…</c> (PlatformIds.PaymentKey) where the payment id derives from the
/// tenant's Idempotency-Key. PCI: it runs only on silos with the pci role.
/// </summary>
[Alias("platform.payment_intent")]
public interface IPaymentIntentGrain : IGrainWithStringKey
{
    /// <summary>Creates (and optionally confirms) the payment at Stripe; the same draft again returns the
    /// first result (a decline again as a decline), another draft is a conflict.</summary>
    [Alias("create")]
    Task<PaymentSnapshot> CreateAsync(PaymentDraft draft);

    /// <summary>Null when there is no such payment. With <paramref name="refresh"/>, an unfinished payment
    /// whose status is older than the configured age is first synced from Stripe.</summary>
    [Alias("get")]
    Task<PaymentSnapshot?> GetAsync(bool refresh);

    [Alias("refund")]
    Task<RefundSnapshot> RefundAsync(RefundDraft draft);

    /// <summary>One of the payment's refunds; null when unknown, or when Stripe refused it (no refund exists then).</summary>
    [Alias("get_refund")]
    Task<RefundSnapshot?> GetRefundAsync(string refundId);

    /// <summary>Applies a <c>payment_intent.*</c> or <c>charge.refunded</c> event. Forward only
    /// (PaymentTransitions): a late <c>payment_intent.canceled</c> never undoes a succeeded payment.</summary>
    [Alias("apply_stripe_event")]
    Task<StripeEventOutcome> ApplyStripeEventAsync(StripeEventData stripeEvent);
}
