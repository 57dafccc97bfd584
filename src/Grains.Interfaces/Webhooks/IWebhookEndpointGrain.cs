using Orleans.Concurrency;
using Platform.Grains.Interfaces.Common;

namespace Platform.Grains.Interfaces.Webhooks;

/// <summary>
/// One webhook endpoint of a tenant, keyed <c>ten_…/we_…</c> (PlatformIds.WebhookEndpointKey): its
/// URL, subscriptions and encrypted signing secrets, and the owner of its durable delivery queue. Each
/// endpoint delivers in its own grain, so one slow or failing receiver delays nobody else.
/// </summary>
[Alias("platform.webhook_endpoint")]
public interface IWebhookEndpointGrain : IGrainWithStringKey
{
    /// <summary>Validates the URL (scheme, and every address the host resolves to), then creates.</summary>
    [Alias("create")]
    Task<IssuedWebhookSecret> CreateAsync(WebhookEndpointDraft draft);

    [Alias("get"), AlwaysInterleave]
    Task<WebhookEndpointSnapshot?> GetAsync();

    /// <summary>Removes the endpoint and its secrets; pending deliveries end as failed. Null when absent.</summary>
    [Alias("delete")]
    Task<WebhookEndpointSnapshot?> DeleteAsync();

    /// <summary>A new secret signs from now on; the old one keeps signing as well for <paramref name="overlap"/>.</summary>
    [Alias("rotate_secret")]
    Task<IssuedWebhookSecret?> RotateSecretAsync(TimeSpan overlap);

    /// <summary>
    /// Queues the event durably (a row in the delivery queue) and returns; delivery happens later in
    /// this grain's own timer turns. Interleaves with a delivery in flight, so the publisher never waits
    /// for this endpoint's receiver. False when the endpoint does not exist or is disabled.
    /// </summary>
    [Alias("enqueue"), AlwaysInterleave]
    Task<bool> EnqueueAsync(PlatformEvent platformEvent);

    [Alias("list_deliveries"), AlwaysInterleave]
    Task<Page<WebhookDeliverySnapshot>?> ListDeliveriesAsync(DeliveryQuery query);

    /// <summary>Queues a failed delivery for one more attempt now. Null when this endpoint has no such delivery.</summary>
    [Alias("retry_delivery")]
    Task<WebhookDeliverySnapshot?> RetryDeliveryAsync(string deliveryId);
}
