using Platform.Grains.Interfaces.Common;

namespace Platform.Grains.Interfaces.StripeWebhooks;

/// <summary>The operator's view of received Stripe events (a stateless worker over the event table).</summary>
[Alias("platform.stripe_webhook_events")]
public interface IStripeWebhookEventsGrain : IGrainWithIntegerKey
{
    /// <summary>Newest first; the cursor is an event id.</summary>
    [Alias("list")]
    Task<Page<StripeWebhookEventSnapshot>> ListAsync(StripeWebhookEventStatus? status, PageRequest page);

    [Alias("get")]
    Task<StripeWebhookEventSnapshot?> GetAsync(string eventId);

    /// <summary>Routes a recorded event again (applying is idempotent and order-proof); null when unknown.</summary>
    [Alias("replay")]
    Task<StripeWebhookEventSnapshot?> ReplayAsync(string eventId);
}
