namespace Platform.Grains.Interfaces.Webhooks;

/// <summary>The reply to create and rotate: the only time a signing secret (<c>whsec_…</c>) leaves the grain.</summary>
[GenerateSerializer, Immutable, Alias("platform.issued_webhook_secret")]
public sealed record IssuedWebhookSecret(
    [property: Id(0)] WebhookEndpointSnapshot Endpoint,
    [property: Id(1)] string Secret);
