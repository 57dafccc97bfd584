namespace Platform.Grains.Interfaces.Webhooks;

[GenerateSerializer, Immutable, Alias("platform.webhook_endpoint_snapshot")]
public sealed record WebhookEndpointSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] string Url,
    [property: Id(2)] IReadOnlyList<string> EnabledEvents,
    [property: Id(3)] string? Description,
    [property: Id(4)] WebhookEndpointStatus Status,
    [property: Id(5)] DateTimeOffset Created,
    [property: Id(6)] DateTimeOffset? DisabledAt,
    [property: Id(7)] DateTimeOffset? PreviousSecretExpires);
