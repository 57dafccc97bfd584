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
    Task<SubscriptionSnapshot> CreateAsync(string planId);

    /// <summary>Cancels now, or at the end of the current period; null when there is no subscription.</summary>
    [Alias("cancel")]
    Task<SubscriptionSnapshot?> CancelAsync(bool atPeriodEnd);

    /// <summary>Moves a live subscription to another plan from now on (the period is kept); null when there is none.</summary>
    [Alias("change_plan")]
    Task<SubscriptionSnapshot?> ChangePlanAsync(string planId);

    /// <summary>
    /// The current period's invoice so far: the plan's flat price and each usage charge priced on the
    /// metric's usage (the meter's current period). Null without a live subscription on a plan.
    /// </summary>
    [Alias("preview_invoice")]
    Task<InvoicePreview?> PreviewInvoiceAsync();

    /// <summary>Null when no subscription is known for this customer.</summary>
    [Alias("get")]
    Task<SubscriptionSnapshot?> GetAsync();
}
