using Platform.Grains.Interfaces.Billing;
using Platform.Grains.Interfaces.StripeWebhooks;

namespace Platform.Grains.Interfaces.Subscriptions;

/// <summary>
/// A customer's subscription, keyed <c>ten_…/cus_…</c> (PlatformIds.CustomerKey), mirrored from Stripe's
/// events. It never moves backwards: an event older than what it holds is stale, and a canceled
/// subscription stays canceled whatever late update arrives.
/// </summary>
[Alias("platform.subscription")]
public interface ISubscriptionGrain : IGrainWithStringKey
{
    /// <summary>Applies a subscription, invoice or checkout event; throws when the customer is unknown (retried later).</summary>
    [Alias("apply_stripe_event")]
    Task<StripeEventOutcome> ApplyStripeEventAsync(StripeEventData stripeEvent);

    /// <summary>
    /// Applies several events of this customer with one state write; the outcomes in the same order. The same
    /// end state as applying them one by one, in any order. Throws (for all of them) when the customer is unknown.
    /// </summary>
    [Alias("apply_stripe_events")]
    Task<IReadOnlyList<StripeEventOutcome>> ApplyStripeEventsAsync(IReadOnlyList<StripeEventData> stripeEvents);

    /// <summary>
    /// Subscribes the customer to a plan of its tenant without Stripe: trialing when the plan has a trial,
    /// else active; our reminder rolls periods and ends trials. A customer holds one subscription: refuses
    /// (Conflict, <c>subscription_exists</c>) while one is live. Unknown customer: NotFound.
    /// </summary>
    [Alias("create")]
    Task<SubscriptionSnapshot> CreateAsync(string planId, string? collectionMethod = null, int? daysUntilDue = null, string? couponId = null, IReadOnlyList<string>? taxRateIds = null, string? currency = null);

    /// <summary>
    /// Cancels now, or at the end of the current period; null when there is no subscription. A subscription
    /// managed by Stripe is canceled at Stripe (through the PCI <see cref="IStripeSubscriptionGrain"/>) and the
    /// answer is the mirror as it stands: Stripe's events change it afterwards. <paramref name="requestKey"/>
    /// makes that Stripe call idempotent.
    /// </summary>
    [Alias("cancel")]
    Task<SubscriptionSnapshot?> CancelAsync(bool atPeriodEnd, string? requestKey = null);

    /// <summary>
    /// Redeems a coupon on a subscription managed here (replacing its discount) from the customer's billing time now;
    /// null when there is no such subscription. A subscription managed by Stripe is refused (its discounts are Stripe's).
    /// </summary>
    [Alias("apply_coupon")]
    Task<SubscriptionSnapshot?> ApplyCouponAsync(string couponId);

    /// <summary>
    /// Moves a live subscription to another plan from now on (the period is kept); null when there is none. One managed
    /// here is prorated by the second per <paramref name="prorationBehavior"/> (docs/INVOICES.md "Proration"); one
    /// managed by Stripe moves at Stripe, which decides proration (default <c>create_prorations</c>); the answer is the
    /// mirror as it stands, changed by Stripe's events that follow.
    /// </summary>
    [Alias("change_plan")]
    Task<SubscriptionSnapshot?> ChangePlanAsync(string planId, string? prorationBehavior = null, string? requestKey = null);

    /// <summary>
    /// The current period's invoice so far: the plan's flat price and each usage charge priced on the
    /// metric's usage over the subscription's current period. Null without a live subscription on a plan.
    /// </summary>
    [Alias("preview_invoice")]
    Task<InvoicePreview?> PreviewInvoiceAsync();

    /// <summary>
    /// GDPR erasure: a live subscription ends now (at Stripe first when Stripe manages it), so the customer's
    /// entitlements and license go at once. Idempotent; true when a live subscription was ended.
    /// </summary>
    [Alias("end_for_erasure")]
    Task<bool> EndForErasureAsync();

    /// <summary>Null when no subscription is known for this customer.</summary>
    [Alias("get")]
    Task<SubscriptionSnapshot?> GetAsync();

    /// <summary>
    /// Runs what the platform's own cycle has due at the customer's billing time now (trial notice, roll-overs
    /// with their period invoices, end at period end): what the reminder does, on demand (a test clock's advance).
    /// </summary>
    [Alias("tick")]
    Task TickAsync();

    /// <summary>
    /// What dunning decided for the subscription after its invoice <paramref name="invoiceId"/>'s payment:
    /// <c>past_due</c> (a failed attempt), <c>active</c> (paid after failing), <c>unpaid</c> or <c>canceled</c>
    /// (the policy's final action). A subscription that ended, or a Stripe-managed one, is left as it is.
    /// </summary>
    [Alias("apply_dunning")]
    Task ApplyDunningAsync(string invoiceId, string status);
}
