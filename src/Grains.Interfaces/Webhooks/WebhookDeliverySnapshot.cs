namespace Platform.Grains.Interfaces.Webhooks;

[GenerateSerializer, Immutable, Alias("platform.webhook_delivery_snapshot")]
public sealed record WebhookDeliverySnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] string EndpointId,
    [property: Id(2)] string EventId,
    [property: Id(3)] string EventType,
    [property: Id(4)] WebhookDeliveryStatus Status,
    [property: Id(5)] IReadOnlyList<WebhookAttempt> Attempts,
    [property: Id(6)] DateTimeOffset? NextAttempt,
    [property: Id(7)] DateTimeOffset Created);
