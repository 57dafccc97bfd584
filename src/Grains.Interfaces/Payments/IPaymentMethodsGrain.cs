using Platform.Grains.Interfaces.StripeWebhooks;

namespace Platform.Grains.Interfaces.Payments;

/// <summary>
/// A customer's payment methods at Stripe, keyed <c>ten_…/cus_…</c> (PlatformIds.CustomerKey). PCI: it
/// runs only on silos with the pci role. It also owns the customer's Stripe customer, created lazily, once.
/// </summary>
[Alias("platform.payment_methods")]
public interface IPaymentMethodsGrain : IGrainWithStringKey
{
    /// <summary>A SetupIntent whose client secret lets Stripe.js save a card for this customer.</summary>
    [Alias("create_setup_intent")]
    Task<SetupIntentSnapshot> CreateSetupIntentAsync(string requestKey);

    /// <summary>Attaches a payment method (or a Stripe test token) to the customer; returns the attached method.</summary>
    [Alias("attach")]
    Task<PaymentMethodSnapshot> AttachAsync(string paymentMethodId);

    /// <summary>Detaches a payment method of this customer; another customer's method is not found.</summary>
    [Alias("detach")]
    Task<PaymentMethodSnapshot> DetachAsync(string paymentMethodId);

    [Alias("list")]
    Task<IReadOnlyList<PaymentMethodSnapshot>> ListAsync();

    /// <summary>The Stripe customer id (<c>cus_…</c> at Stripe), created on first use.</summary>
    [Alias("ensure_stripe_customer")]
    Task<string> EnsureStripeCustomerAsync();

    /// <summary>Refuses (not found) a payment method that is not attached to this customer.</summary>
    [Alias("require_attached")]
    Task RequireAttachedAsync(string paymentMethodId);

    /// <summary>Applies a <c>setup_intent.*</c> or <c>payment_method.attached|detached</c> event, newest per object wins.</summary>
    [Alias("apply_stripe_event")]
    Task<StripeEventOutcome> ApplyStripeEventAsync(StripeEventData stripeEvent);

    /// <summary>
    /// GDPR erasure at Stripe: deletes the Stripe customer (its saved cards go with it; payments and refunds,
    /// the financial record, stay at Stripe) and refuses to create another. Idempotent: an already deleted
    /// customer counts as done. True when a Stripe customer existed.
    /// </summary>
    [Alias("erase_stripe_customer")]
    Task<bool> EraseStripeCustomerAsync();
}
