namespace Platform.Grains.Interfaces.Subscriptions;

/// <summary>
/// The customer's subscription at Stripe, keyed <c>ten_…/cus_…</c> (PlatformIds.CustomerKey). PCI: it runs
/// only on silos with the pci role. It sells a plan through Stripe Checkout and changes or cancels a
/// Stripe-managed subscription there. It never changes our mirror: Stripe's events that follow do.
/// </summary>
[Alias("platform.stripe_subscription")]
public interface IStripeSubscriptionGrain : IGrainWithStringKey
{
    /// <summary>
    /// A Checkout Session (mode subscription) on the plan's Stripe price, for the customer's Stripe customer.
    /// Refuses an unknown plan (InvalidRequest, <c>resource_missing</c>), an archived one (<c>plan_archived</c>),
    /// and a customer with a live subscription (Conflict, <c>subscription_exists</c>).
    /// </summary>
    [Alias("create_checkout_session")]
    Task<CheckoutSessionSnapshot> CreateCheckoutSessionAsync(CheckoutDraft draft);

    /// <summary>Moves the Stripe subscription's item to the plan's price; proration is Stripe's.</summary>
    [Alias("change_plan")]
    Task ChangePlanAsync(StripePlanChange change);

    /// <summary>Cancels at Stripe now (DELETE) or at the period's end (<c>cancel_at_period_end</c>).</summary>
    [Alias("cancel")]
    Task CancelAsync(string stripeSubscriptionId, bool atPeriodEnd, string requestKey);
}
