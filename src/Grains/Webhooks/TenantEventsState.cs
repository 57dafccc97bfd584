using Platform.Grains.Interfaces.Webhooks;

namespace Platform.Grains.Webhooks;

[GenerateSerializer, Alias("platform.tenant_events_state")]
public sealed class TenantEventsState
{
    /// <summary>The tenant's endpoints and what they subscribe to, newest first.</summary>
    [Id(0)] public List<WebhookSubscription> Endpoints { get; set; } = [];

    [Id(1)] public bool RetentionScheduled { get; set; }
}
