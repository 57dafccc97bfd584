namespace Platform.Grains.Interfaces.Webhooks;

/// <summary>What the tenant's event router needs of one endpoint to fan events out to it.</summary>
[GenerateSerializer, Immutable, Alias("platform.webhook_subscription")]
public sealed record WebhookSubscription(
    [property: Id(0)] string EndpointId,
    [property: Id(1)] IReadOnlyList<string> EnabledEvents,
    [property: Id(2)] bool Enabled);
