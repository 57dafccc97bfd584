using Platform.Grains.Interfaces.Common;

namespace Platform.Grains.Interfaces.StripeWebhooks;

/// <summary>
/// The core side's grain for Stripe's inbound events (a stateless worker over the event table, on core
/// silos): it records what the PCI webhook grain verified, and gives operators their view and replay.
/// </summary>
[Alias("platform.stripe_webhook_events")]
public interface IStripeWebhookEventsGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Records a verified, reduced event once (durably, before it returns) and routes it in the background.
    /// The receipt says pending for a new event and duplicate for one seen before.
    /// </summary>
    [Alias("record")]
    Task<StripeWebhookReceipt> RecordAsync(StripeEventData stripeEvent);

    /// <summary>Newest first; the cursor is an event id.</summary>
    [Alias("list")]
    Task<Page<StripeWebhookEventSnapshot>> ListAsync(StripeWebhookEventStatus? status, PageRequest page);

    [Alias("get")]
    Task<StripeWebhookEventSnapshot?> GetAsync(string eventId);

    /// <summary>Routes a recorded event again (applying is idempotent and order-proof); null when unknown.</summary>
    [Alias("replay")]
    Task<StripeWebhookEventSnapshot?> ReplayAsync(string eventId);
}
