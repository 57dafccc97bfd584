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

    /// <summary>Null when no subscription is known for this customer.</summary>
    [Alias("get")]
    Task<SubscriptionSnapshot?> GetAsync();
}
