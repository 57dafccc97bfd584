using Orleans.Concurrency;
using Platform.Grains.Interfaces.Common;

namespace Platform.Grains.Interfaces.Webhooks;

/// <summary>
/// A tenant's events, keyed by the tenant id: the one door through which every feature publishes
/// (<see cref="PublishAsync"/>), the event log (30 days) and the router that hands each event to the
/// tenant's matching webhook endpoints. Delivery itself happens in each endpoint's own grain, so a slow
/// endpoint never holds up publishing or another endpoint.
/// </summary>
[Alias("platform.tenant_events")]
public interface ITenantEventsGrain : IGrainWithStringKey
{
    /// <summary>
    /// Stores the event and queues it durably at every enabled endpoint whose <c>enabled_events</c>
    /// match; returns once all of that is committed. Idempotent by event id. Types must be in
    /// <see cref="EventTypes"/>.
    /// </summary>
    [Alias("publish")]
    Task PublishAsync(PlatformEvent platformEvent);

    [Alias("get_event"), AlwaysInterleave]
    Task<PlatformEvent?> GetEventAsync(string eventId);

    [Alias("list_events"), AlwaysInterleave]
    Task<Page<PlatformEvent>> ListEventsAsync(EventQuery query);

    /// <summary>Adds or replaces an endpoint's routing entry; refuses beyond the per-tenant limit.</summary>
    [Alias("subscribe")]
    Task SubscribeAsync(WebhookSubscription subscription);

    [Alias("unsubscribe")]
    Task UnsubscribeAsync(string endpointId);

    /// <summary>The tenant's endpoint ids, newest first.</summary>
    [Alias("list_endpoint_ids"), AlwaysInterleave]
    Task<IReadOnlyList<string>> ListEndpointIdsAsync();

    /// <summary>Sends a failed delivery once more; null when the tenant has no such delivery.</summary>
    [Alias("retry_delivery")]
    Task<WebhookDeliverySnapshot?> RetryDeliveryAsync(string deliveryId);
}
