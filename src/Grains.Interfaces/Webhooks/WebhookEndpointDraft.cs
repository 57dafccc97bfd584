namespace Platform.Grains.Interfaces.Webhooks;

[GenerateSerializer, Immutable, Alias("platform.webhook_endpoint_draft")]
public sealed record WebhookEndpointDraft(
    [property: Id(0)] string Url,
    [property: Id(1)] IReadOnlyList<string> EnabledEvents,
    [property: Id(2)] string? Description);
